#include "slots.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_MAGIC "mqttvpn-sim state 1"
#define COPY_CHUNK 65536

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(struct slots *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return -1;
}

static void file_path(const struct slots *s, const char *name, char *out)
{
    snprintf(out, PATH_MAX, "%s/%s", s->dir, name);
}

void slots_path(const struct slots *s, char slot, char *out)
{
    snprintf(out, PATH_MAX, "%s/slot-%c", s->dir, slot);
}

static void part_path(const struct slots *s, char slot, char *out)
{
    snprintf(out, PATH_MAX, "%s/slot-%c.part", s->dir, slot);
}

char slots_free_slot(const struct slots *s)
{
    return s->state.active == 'a' ? 'b' : 'a';
}

int slots_open(struct slots *s, const char *dir)
{
    struct stat st;

    memset(s, 0, sizeof(*s));
    if (strlen(dir) >= sizeof s->dir) {
        return fail(s, "--state-dir '%s': the path is too long", dir);
    }
    strcpy(s->dir, dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return fail(s, "--state-dir: cannot create '%s': %s", dir, strerror(errno));
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return fail(s, "--state-dir: '%s' is not a directory", dir);
    }
    return 0;
}

/* Makes a rename in the directory durable. */
static int sync_dir(struct slots *s)
{
    int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        return fail(s, "cannot open '%s' to sync it: %s", s->dir, strerror(errno));
    }
    rc = fsync(fd);
    close(fd);
    return rc == 0 ? 0 : fail(s, "cannot sync '%s': %s", s->dir, strerror(errno));
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* fsync, close and rename tmp over final, then sync the directory. Closes fd in every case. */
static int replace_with(struct slots *s, int fd, const char *tmp, const char *final)
{
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(s, "cannot sync '%s': %s", tmp, strerror(e));
    }
    if (close(fd) != 0) {
        unlink(tmp);
        return fail(s, "cannot write '%s': %s", tmp, strerror(errno));
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(s, "cannot rename '%s' to '%s': %s", tmp, final, strerror(e));
    }
    return sync_dir(s);
}

static int parse_slot(const char *v, char *out, int none_allowed)
{
    if ((v[0] == 'a' || v[0] == 'b') && v[1] == '\0') {
        *out = v[0];
        return 1;
    }
    if (none_allowed && strcmp(v, "-") == 0) {
        *out = 0;
        return 1;
    }
    return 0;
}

static int parse_flag(const char *v, int *out)
{
    if ((v[0] == '0' || v[0] == '1') && v[1] == '\0') {
        *out = v[0] - '0';
        return 1;
    }
    return 0;
}

int slots_read_state(struct slots *s)
{
    char path[PATH_MAX], line[128];
    struct slot_state st = {0, 0, 0, 0};
    unsigned seen = 0, n = 0;
    FILE *f;

    file_path(s, "state", path);
    f = fopen(path, "re");
    if (f == NULL) {
        return errno == ENOENT ? 0 : fail(s, "cannot read '%s': %s", path, strerror(errno));
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char key[32], value[32], extra;
        int ok;
        n++;
        line[strcspn(line, "\n")] = '\0';
        if (n == 1) {
            ok = strcmp(line, STATE_MAGIC) == 0;
        } else if (sscanf(line, "%31s %31s %c", key, value, &extra) != 2) {
            ok = 0;
        } else if (strcmp(key, "active") == 0) {
            ok = parse_slot(value, &st.active, 0) && !(seen & 1u);
            seen |= 1u;
        } else if (strcmp(key, "previous") == 0) {
            ok = parse_slot(value, &st.previous, 1) && !(seen & 2u);
            seen |= 2u;
        } else if (strcmp(key, "pending") == 0) {
            ok = parse_flag(value, &st.pending) && !(seen & 4u);
            seen |= 4u;
        } else if (strcmp(key, "started") == 0) {
            ok = parse_flag(value, &st.started) && !(seen & 8u);
            seen |= 8u;
        } else {
            ok = 0;
        }
        if (!ok) {
            fclose(f);
            return fail(s, "%s:%u: not a state line: '%s' (remove the state directory to start over)", path,
                        n, line);
        }
    }
    fclose(f);
    if (seen != 15u || st.previous == st.active) {
        return fail(s, "%s: incomplete or inconsistent state (remove the state directory to start over)", path);
    }
    s->state = st;
    return 1;
}

int slots_write_state(struct slots *s, const struct slot_state *st)
{
    char tmp[PATH_MAX], final[PATH_MAX], text[160];
    int fd, len;

    file_path(s, "state.tmp", tmp);
    file_path(s, "state", final);
    len = snprintf(text, sizeof text, STATE_MAGIC "\nactive %c\nprevious %c\npending %d\nstarted %d\n", st->active,
                   st->previous != 0 ? st->previous : '-', st->pending, st->started);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(s, "cannot write '%s': %s", tmp, strerror(errno));
    }
    if (write_all(fd, text, (size_t)len) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(s, "cannot write '%s': %s", tmp, strerror(e));
    }
    if (replace_with(s, fd, tmp, final) != 0) {
        return -1;
    }
    s->state = *st;
    return 0;
}

int slots_install(struct slots *s, const char *from, char slot)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    static char buf[COPY_CHUNK];
    int in, out;
    ssize_t n;

    part_path(s, slot, tmp);
    slots_path(s, slot, final);
    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        return fail(s, "cannot read '%s': %s", from, strerror(errno));
    }
    out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
    if (out < 0) {
        close(in);
        return fail(s, "cannot write '%s': %s", tmp, strerror(errno));
    }
    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 || write_all(out, buf, (size_t)n) != 0) {
            int e = errno;
            close(in);
            close(out);
            unlink(tmp);
            return fail(s, "cannot copy '%s' to '%s': %s", from, tmp, strerror(e));
        }
    }
    close(in);
    if (fchmod(out, 0755) != 0) {
        int e = errno;
        close(out);
        unlink(tmp);
        return fail(s, "cannot make '%s' executable: %s", tmp, strerror(e));
    }
    return replace_with(s, out, tmp, final);
}

int slots_begin_image(struct slots *s)
{
    char path[PATH_MAX];
    int fd;

    part_path(s, slots_free_slot(s), path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
    if (fd < 0) {
        fail(s, "cannot write '%s': %s", path, strerror(errno));
    }
    return fd;
}

int slots_commit_image(struct slots *s, int fd)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    char slot = slots_free_slot(s);
    struct slot_state st;

    part_path(s, slot, tmp);
    slots_path(s, slot, final);
    if (fchmod(fd, 0755) != 0) {
        int e = errno;
        slots_discard_image(s, fd);
        return fail(s, "cannot make '%s' executable: %s", tmp, strerror(e));
    }
    if (replace_with(s, fd, tmp, final) != 0) {
        return -1;
    }
    st.active = slot;
    st.previous = s->state.active;
    st.pending = 1;
    st.started = 0;
    return slots_write_state(s, &st);
}

void slots_discard_image(struct slots *s, int fd)
{
    char path[PATH_MAX];

    if (fd >= 0) {
        close(fd);
    }
    part_path(s, slots_free_slot(s), path);
    unlink(path);
}

int slots_confirm(struct slots *s)
{
    struct slot_state st = s->state;

    st.pending = 0;
    st.started = 0;
    return slots_write_state(s, &st);
}

int slots_roll_back(struct slots *s)
{
    struct slot_state st;

    if (s->state.previous == 0) {
        return fail(s, "no previous image to return to in '%s'", s->dir);
    }
    st.active = s->state.previous;
    st.previous = 0;
    st.pending = 0;
    st.started = 0;
    return slots_write_state(s, &st);
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int slots_boot_plan(struct slots *s, const char *self, struct boot_plan *plan)
{
    char path[PATH_MAX];
    int rc;

    memset(plan, 0, sizeof(*plan));
    rc = slots_read_state(s);
    if (rc < 0) {
        return -1;
    }
    if (rc == 0) {
        struct slot_state first = {'a', 0, 0, 0};
        slots_path(s, 'a', path);
        if (access(path, F_OK) != 0) {
            if (slots_install(s, self, 'a') != 0) {
                return -1;
            }
            plan->installed = 1;
        }
        if (slots_write_state(s, &first) != 0) {
            return -1;
        }
    }
    if (s->state.pending && s->state.started) {
        /* Started once and never confirmed: it crashed, hung or was stopped on probation. */
        if (slots_roll_back(s) != 0) {
            return -1;
        }
        plan->rolled_back = 1;
    }
    plan->slot = s->state.active;
    slots_path(s, plan->slot, plan->path);
    if (access(plan->path, X_OK) != 0) {
        return fail(s, "the active image '%s' is missing or not executable (remove the state directory to "
                       "start over)", plan->path);
    }
    if (!same_file(self, plan->path)) {
        /* The image itself marks its start, not a launcher that is about to exec it. */
        plan->exec_needed = 1;
        return 0;
    }
    if (s->state.pending) {
        struct slot_state st = s->state;
        st.started = 1;
        if (slots_write_state(s, &st) != 0) {
            return -1;
        }
        plan->on_probation = 1;
    }
    return 0;
}
