#include "secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wipe.h"

static const char *const status_names[] = {
    [SIM_SECRET_OK] = "ok",
    [SIM_SECRET_CANNOT_READ] = "cannot_read",
    [SIM_SECRET_DIRECTORY] = "directory",
    [SIM_SECRET_NOT_REGULAR] = "not_regular",
    [SIM_SECRET_FILE_TOO_BIG] = "file_too_big",
    [SIM_SECRET_EMPTY] = "empty",
    [SIM_SECRET_TOO_LONG] = "too_long",
    [SIM_SECRET_NUL] = "nul",
    [SIM_SECRET_STRAY_CR] = "stray_cr",
    [SIM_SECRET_BOM] = "bom",
    [SIM_SECRET_NOT_UTF8] = "not_utf8",
    [SIM_SECRET_LINE_BREAK] = "line_break",
    [SIM_SECRET_NO_MEMORY] = "no_memory",
};

const char *sim_secret_status_name(enum sim_secret_status status)
{
    return (size_t)status < sizeof status_names / sizeof status_names[0] ? status_names[status] : "?";
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static enum sim_secret_status fail(struct sim_secret_problem *p, enum sim_secret_status status, long at,
                                   const char *fmt, ...)
{
    va_list ap;
    p->status = status;
    p->at = at;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    return status;
}

/* The offset of the first byte of the first sequence that is not UTF-8 (RFC 3629), or n. */
static size_t utf8_invalid_at(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t need, k;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1, cp = c & 0x1fu, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2, cp = c & 0x0fu, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3, cp = c & 0x07u, min = 0x10000;
        } else {
            return i;
        }
        if (n - i - 1 < need) {
            return i;
        }
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0u) != 0x80u) {
                return i;
            }
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffffu || (cp >= 0xd800u && cp <= 0xdfffu)) {
            return i;
        }
        i += need + 1;
    }
    return n;
}

enum sim_secret_status sim_secret_of(const uint8_t *content, size_t len, size_t *secret_len, long *at)
{
    size_t end = 0, i;

    *at = -1;
    if (len > SIM_SECRET_FILE_MAX) {
        return SIM_SECRET_FILE_TOO_BIG;
    }
    while (end < len && content[end] != '\n') {
        end++;
    }
    if (end > 0 && content[end - 1] == '\r') {
        end--;
    }
    *secret_len = end;
    if (end == 0) {
        return SIM_SECRET_EMPTY;
    }
    if (end > SIM_SECRET_MAX) {
        return SIM_SECRET_TOO_LONG;
    }
    for (i = 0; i < end; i++) {
        if (content[i] == '\0' || content[i] == '\r') {
            *at = (long)i;
            return content[i] == '\0' ? SIM_SECRET_NUL : SIM_SECRET_STRAY_CR;
        }
    }
    if (end >= 3 && content[0] == 0xef && content[1] == 0xbb && content[2] == 0xbf) {
        *at = 0;
        return SIM_SECRET_BOM;
    }
    i = utf8_invalid_at(content, end);
    if (i < end) {
        *at = (long)i;
        return SIM_SECRET_NOT_UTF8;
    }
    return SIM_SECRET_OK;
}

/* The messages say what the Java side's say (SecretFile.java): what is wrong, then what to do. */
static enum sim_secret_status describe(struct sim_secret_problem *p, enum sim_secret_status s, const char *path,
                                       size_t secret_len, long at)
{
    switch (s) {
    case SIM_SECRET_FILE_TOO_BIG:
        return fail(p, s, at, "%s is longer than %d bytes: a secret file holds the secret on its first line and"
                              " little else: name the file that holds the secret", path, SIM_SECRET_FILE_MAX);
    case SIM_SECRET_EMPTY:
        return fail(p, s, at, "the first line of %s is empty: put the secret on the first line", path);
    case SIM_SECRET_TOO_LONG:
        return fail(p, s, at, "the first line of %s is longer than %d bytes (%zu): use a shorter secret: 64 random"
                              " hex digits (256 bits) are plenty", path, SIM_SECRET_MAX, secret_len);
    case SIM_SECRET_NUL:
        return fail(p, s, at, "the first line of %s holds a NUL byte (byte %ld): write the secret as text", path,
                    at + 1);
    case SIM_SECRET_STRAY_CR:
        return fail(p, s, at, "the first line of %s holds a carriage return (CR) before its end (byte %ld): end lines"
                              " with LF or CR LF, and put no CR inside the secret", path, at + 1);
    case SIM_SECRET_BOM:
        return fail(p, s, at, "%s starts with a UTF-8 byte order mark (EF BB BF): save it without one: it would be"
                              " part of the secret", path);
    case SIM_SECRET_NOT_UTF8:
        return fail(p, s, at, "the first line of %s is not valid UTF-8 (byte %ld): write the secret as UTF-8 text",
                    path, at + 1);
    default:
        return fail(p, s, at, "%s: %s", path, sim_secret_status_name(s));
    }
}

static enum sim_secret_status cannot_read(struct sim_secret_problem *p, const char *path, int e)
{
    if (e == ENOENT) {
        return fail(p, SIM_SECRET_CANNOT_READ, -1,
                    "%s does not exist: create it with the secret on its first line, or correct the path", path);
    }
    if (e == EACCES) {
        return fail(p, SIM_SECRET_CANNOT_READ, -1, "%s is not readable by this user: run as its owner, or chmod it",
                    path);
    }
    return fail(p, SIM_SECRET_CANNOT_READ, -1, "cannot read %s (%s): check that it is a readable file", path,
                strerror(e));
}

/* Refuses what is not a regular file before anything reads from it. */
static enum sim_secret_status not_a_file(struct sim_secret_problem *p, const char *path, mode_t mode)
{
    if (S_ISDIR(mode)) {
        return fail(p, SIM_SECRET_DIRECTORY, -1,
                    "%s is a directory: name the file that holds the secret on its first line", path);
    }
    return fail(p, SIM_SECRET_NOT_REGULAR, -1,
                "%s is not a regular file (a pipe, a socket or a device): secrets are read from regular files"
                " only, which cannot block or go on forever: put the secret on the first line of a file", path);
}

enum sim_secret_status sim_secret_file_read(const char *path, char **secret, struct sim_secret_problem *problem)
{
    uint8_t buf[SIM_SECRET_FILE_MAX + 1];
    size_t len = 0, secret_len = 0;
    long at = -1;
    struct stat st;
    enum sim_secret_status s;
    int fd;

    *secret = NULL;
    problem->status = SIM_SECRET_OK;
    problem->at = -1;
    problem->message[0] = '\0';
    /* stat first: a device is not even opened (opening some has effects); fstat after open
     * closes the gap. O_NONBLOCK: opening a pipe without a writer does not wait for one. */
    if (stat(path, &st) != 0) {
        return cannot_read(problem, path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return not_a_file(problem, path, st.st_mode);
    }
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return cannot_read(problem, path, errno);
    }
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return cannot_read(problem, path, e);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_a_file(problem, path, st.st_mode);
    }
    while (len < sizeof buf) {
        ssize_t r = read(fd, buf + len, sizeof buf - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int e = errno;
            close(fd);
            mqttvpn_wipe(buf, len);
            return cannot_read(problem, path, e);
        }
        if (r == 0) {
            break;
        }
        len += (size_t)r;
    }
    close(fd);
    s = sim_secret_of(buf, len, &secret_len, &at);
    if (s == SIM_SECRET_OK) {
        *secret = malloc(secret_len + 1);
        if (*secret == NULL) {
            s = fail(problem, SIM_SECRET_NO_MEMORY, -1, "out of memory reading %s", path);
        } else {
            memcpy(*secret, buf, secret_len);
            (*secret)[secret_len] = '\0';
        }
    } else {
        describe(problem, s, path, secret_len, at);
    }
    mqttvpn_wipe(buf, len);
    return s;
}

enum sim_secret_status sim_secret_check_value(const char *value, const char *what, struct sim_secret_problem *problem)
{
    size_t n = strlen(value), i;

    problem->status = SIM_SECRET_OK;
    problem->at = -1;
    problem->message[0] = '\0';
    if (n > SIM_SECRET_MAX) {
        return fail(problem, SIM_SECRET_TOO_LONG, -1, "%s is longer than %d bytes (%zu): use a shorter secret: 64"
                                                      " random hex digits (256 bits) are plenty", what, SIM_SECRET_MAX, n);
    }
    i = strcspn(value, "\r\n");
    if (i < n) {
        return fail(problem, SIM_SECRET_LINE_BREAK, (long)i, "%s holds a line break (byte %zu): give the secret on"
                                                             " one line; where it is kept in a file, only the"
                                                             " file's first line is read", what, i + 1);
    }
    i = utf8_invalid_at((const uint8_t *)value, n);
    if (i < n) {
        return fail(problem, SIM_SECRET_NOT_UTF8, (long)i, "%s is not valid UTF-8 (byte %zu): write the secret as"
                                                           " UTF-8 text", what, i + 1);
    }
    return SIM_SECRET_OK;
}

void sim_secret_free(char *secret)
{
    if (secret != NULL) {
        mqttvpn_wipe(secret, strlen(secret));
        free(secret);
    }
}
