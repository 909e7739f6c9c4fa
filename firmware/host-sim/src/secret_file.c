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

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *why, size_t why_size, const char *fmt, ...)
{
    va_list ap;
    if (why_size > 0) {
        va_start(ap, fmt);
        vsnprintf(why, why_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sim_secret_file_read(const char *path, char **secret, char *why, size_t why_size)
{
    /* one byte more than allowed: reading it tells a file that is too long */
    char buf[SIM_SECRET_FILE_MAX + 1];
    struct stat st;
    size_t len = 0, n;
    const char *nl;
    int fd, rc = -1;

    *secret = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return fail(why, why_size, "cannot read '%s': %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(why, why_size, "'%s' is not a regular file", path);
    }
    while (len < sizeof(buf)) {
        ssize_t r = read(fd, buf + len, sizeof(buf) - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            fail(why, why_size, "cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0) {
            break;
        }
        len += (size_t)r;
    }
    if (len > SIM_SECRET_FILE_MAX) {
        fail(why, why_size, "'%s' is longer than %d bytes: a secret file holds one line", path, SIM_SECRET_FILE_MAX);
        goto out;
    }
    nl = memchr(buf, '\n', len);
    n = nl != NULL ? (size_t)(nl - buf) : len;
    if (n > 0 && buf[n - 1] == '\r') {
        n--;
    }
    if (n == 0) {
        fail(why, why_size, "the first line of '%s' is empty", path);
        goto out;
    }
    if (memchr(buf, '\0', n) != NULL) {
        fail(why, why_size, "the first line of '%s' holds a NUL byte", path);
        goto out;
    }
    *secret = malloc(n + 1);
    if (*secret == NULL) {
        fail(why, why_size, "out of memory reading '%s'", path);
        goto out;
    }
    memcpy(*secret, buf, n);
    (*secret)[n] = '\0';
    rc = 0;
out:
    close(fd);
    mqttvpn_wipe(buf, sizeof(buf));
    return rc;
}
