/*
 * The secret-file reader of --password-file (src/secret_file.c) on files in a scratch
 * directory: the first line without its line end, and every file it must refuse (missing,
 * a directory, a FIFO without blocking, too long, an empty first line, a NUL in it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_file.h"
#include "test_check.h"

static char scratch[] = "/tmp/mqttvpn-secret-XXXXXX";
static char why[512];

static const char *in_scratch(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    return path;
}

/* A file of n bytes of content (which may hold NULs) in the scratch directory; its path. */
static const char *file_of(const char *name, const char *content, size_t n)
{
    const char *path = in_scratch(name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(content, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

static const char *file(const char *name, const char *text)
{
    return file_of(name, text, strlen(text));
}

/* Reads path: the secret, or NULL (the reader failed: it returned -1 and set why). The caller frees. */
static char *read_secret(const char *path)
{
    char *secret = (char *)"unchanged";
    int rc;
    why[0] = '\0';
    rc = sim_secret_file_read(path, &secret, why, sizeof why);
    if ((rc == 0) != (secret != NULL) || (rc != 0) != (why[0] != '\0')) {
        fprintf(stderr, "    %s: returned %d, secret %s, why '%s'\n", path, rc, secret ? "set" : "NULL", why);
        abort();
    }
    return secret;
}

static void the_first_line_is_the_secret_without_its_line_end(void)
{
    char *s = read_secret(file("lf", "hunter2\nsecond line\n"));
    CHECK(s != NULL && strcmp(s, "hunter2") == 0);
    free(s);
    s = read_secret(file("crlf", "hunter2\r\n"));
    CHECK(s != NULL && strcmp(s, "hunter2") == 0);
    free(s);
    s = read_secret(file("no-newline", "pass word"));
    CHECK(s != NULL && strcmp(s, "pass word") == 0);
    free(s);
}

static void a_file_of_exactly_the_limit_is_read(void)
{
    static char big[SIM_SECRET_FILE_MAX];
    char *s;
    memset(big, 'x', sizeof big);
    big[100] = '\n';
    s = read_secret(file_of("limit", big, sizeof big));
    CHECK(s != NULL && strlen(s) == 100);
    free(s);
}

static void a_longer_file_is_refused(void)
{
    static char big[SIM_SECRET_FILE_MAX + 1];
    memset(big, 'x', sizeof big);
    big[10] = '\n';
    CHECK(read_secret(file_of("too-long", big, sizeof big)) == NULL);
    CHECK(strstr(why, "is longer than 4096 bytes") != NULL);
}

static void a_missing_file_is_named_with_the_reason(void)
{
    CHECK(read_secret(in_scratch("missing")) == NULL);
    CHECK(strstr(why, "cannot read '") != NULL && strstr(why, "/missing': No such file or directory") != NULL);
}

static void a_directory_is_not_a_regular_file(void)
{
    CHECK(read_secret(scratch) == NULL);
    CHECK(strstr(why, "is not a regular file") != NULL);
}

static void a_fifo_is_refused_without_blocking(void)
{
    const char *path = in_scratch("fifo");
    CHECK(mkfifo(path, 0600) == 0);
    CHECK(read_secret(path) == NULL); /* a blocking open would hang here: no writer */
    CHECK(strstr(why, "is not a regular file") != NULL);
}

static void an_empty_first_line_is_refused(void)
{
    CHECK(read_secret(file("empty", "")) == NULL);
    CHECK(strstr(why, "the first line of '") != NULL && strstr(why, "' is empty") != NULL);
    CHECK(read_secret(file("blank", "\r\nsecret below\n")) == NULL);
    CHECK(strstr(why, "is empty") != NULL);
}

static void a_nul_in_the_first_line_is_refused(void)
{
    CHECK(read_secret(file_of("nul", "ab\0cd\n", 6)) == NULL);
    CHECK(strstr(why, "holds a NUL byte") != NULL);
}

static void cleanup(void)
{
    const char *names[] = {"lf", "crlf", "no-newline", "limit", "too-long", "fifo", "empty", "blank", "nul"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        unlink(in_scratch(names[i]));
    }
}

int main(void)
{
    static const struct test_case tests[] = {
        TEST(the_first_line_is_the_secret_without_its_line_end),
        TEST(a_file_of_exactly_the_limit_is_read),
        TEST(a_longer_file_is_refused),
        TEST(a_missing_file_is_named_with_the_reason),
        TEST(a_directory_is_not_a_regular_file),
        TEST(a_fifo_is_refused_without_blocking),
        TEST(an_empty_first_line_is_refused),
        TEST(a_nul_in_the_first_line_is_refused),
    };
    int rc;
    if (mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    rc = run_tests("secret_file", tests, sizeof tests / sizeof tests[0], NULL, cleanup);
    rmdir(scratch);
    return rc;
}
