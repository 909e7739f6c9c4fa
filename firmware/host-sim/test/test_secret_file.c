/*
 * The secret-file reader (src/secret_file.c): every case of the table the Java side runs too
 * (secret_files.txt, the first argument), each written to a file and read back; then the files
 * that could block or never end (a FIFO, /dev/zero, /dev/urandom), a directory, a big file, and
 * values given on the command line. An alarm ends the program if a read blocks.
 * Usage: test_secret_file secret_files.txt
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_file.h"
#include "test_check.h"

static char scratch[] = "/tmp/mqttvpn-secret-XXXXXX";

static const char *in_scratch(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    return path;
}

static void write_bytes(const char *path, const uint8_t *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(bytes, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* "-", or hex parts joined by '+', each repeated N times when followed by *N. Returns the length, or -1. */
static long parse_bytes(const char *spec, uint8_t *out, size_t cap)
{
    size_t n = 0;
    if (strcmp(spec, "-") == 0) {
        return 0;
    }
    while (*spec != '\0') {
        uint8_t part[64];
        size_t plen = 0, i;
        long repeat = 1;
        while (*spec != '\0' && *spec != '+' && *spec != '*') {
            unsigned v;
            if (plen == sizeof part || sscanf(spec, "%2x", &v) != 1 || spec[1] == '\0') {
                return -1;
            }
            part[plen++] = (uint8_t)v;
            spec += 2;
        }
        if (*spec == '*') {
            char *end;
            repeat = strtol(spec + 1, &end, 10);
            spec = end;
        }
        for (; repeat > 0; repeat--) {
            for (i = 0; i < plen; i++) {
                if (n == cap) {
                    return -1;
                }
                out[n++] = part[i];
            }
        }
        if (*spec == '+') {
            spec++;
        }
    }
    return (long)n;
}

/* One row: 1 when the reader does what the table says, else prints why. */
static int table_case(const char *name, const char *file_spec, const char *expected)
{
    static uint8_t content[8192], want[8192];
    long len = parse_bytes(file_spec, content, sizeof content), want_len = -1, want_at = -1;
    char kind[32] = "", *secret = NULL;
    const char *path = in_scratch(name);
    struct sim_secret_problem problem;
    enum sim_secret_status s;
    int ok;

    if (strncmp(expected, "ok:", 3) == 0) {
        want_len = parse_bytes(expected + 3, want, sizeof want);
        snprintf(kind, sizeof kind, "ok");
    } else if (sscanf(expected, "%31[a-z_0-9]@%ld", kind, &want_at) < 1) {
        kind[0] = '\0';
    }
    if (len < 0 || kind[0] == '\0' || (strcmp(kind, "ok") == 0 && want_len < 0)) {
        printf("not ok - table: %s: cannot parse the row\n", name);
        return 0;
    }
    write_bytes(path, content, (size_t)len);
    s = sim_secret_file_read(path, &secret, &problem);
    if (s == SIM_SECRET_OK) {
        ok = strcmp(kind, "ok") == 0 && strlen(secret) == (size_t)want_len && memcmp(secret, want, (size_t)want_len) == 0;
    } else {
        ok = strcmp(kind, sim_secret_status_name(s)) == 0 && problem.at == want_at &&
             strstr(problem.message, path) != NULL;
    }
    printf("%s - table: %s", ok ? "ok" : "not ok", name);
    if (!ok) {
        printf(": expected %s, got %s%s%s", expected, sim_secret_status_name(s), s == SIM_SECRET_OK ? "" : ": ",
               problem.message);
    }
    printf("\n");
    sim_secret_free(secret);
    unlink(path);
    return ok;
}

static int run_table(const char *table, size_t *cases)
{
    char line[512], name[128], file_spec[256], expected[256];
    int all_ok = 1;
    FILE *f = fopen(table, "r");

    *cases = 0;
    if (f == NULL) {
        perror(table);
        return 0;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *t = line + strspn(line, " \t");
        if (*t == '#' || *t == '\n' || *t == '\0') {
            continue;
        }
        if (sscanf(t, "%127s %255s %255s", name, file_spec, expected) != 3) {
            printf("not ok - table: cannot parse: %s", line);
            all_ok = 0;
            continue;
        }
        all_ok &= table_case(name, file_spec, expected);
        (*cases)++;
    }
    fclose(f);
    return all_ok;
}

/* The reader refuses path with this status, and its message starts with start. */
static int refused(const char *path, enum sim_secret_status want, const char *start)
{
    struct sim_secret_problem problem;
    char *secret = NULL;
    enum sim_secret_status s = sim_secret_file_read(path, &secret, &problem);
    if (s != want || secret != NULL || strncmp(problem.message, start, strlen(start)) != 0) {
        fprintf(stderr, "    %s: %s: %s\n", path, sim_secret_status_name(s), problem.message);
        sim_secret_free(secret);
        return 0;
    }
    return 1;
}

static void devices_are_refused_without_reading_them(void)
{
    CHECK(refused("/dev/zero", SIM_SECRET_NOT_REGULAR, "/dev/zero is not a regular file (a pipe, a socket or a device)"));
    CHECK(refused("/dev/urandom", SIM_SECRET_NOT_REGULAR, "/dev/urandom is not a regular file"));
    CHECK(symlink("/dev/zero", in_scratch("link")) == 0);
    CHECK(refused(in_scratch("link"), SIM_SECRET_NOT_REGULAR, in_scratch("link")));
}

static void a_fifo_is_refused_without_waiting_for_a_writer(void)
{
    char start[512];
    CHECK(mkfifo(in_scratch("key.fifo"), 0600) == 0);
    snprintf(start, sizeof start, "%s is not a regular file", in_scratch("key.fifo"));
    CHECK(refused(in_scratch("key.fifo"), SIM_SECRET_NOT_REGULAR, start));
}

static void a_directory_is_named_as_one(void)
{
    char start[512];
    CHECK(mkdir(in_scratch("keys"), 0700) == 0);
    snprintf(start, sizeof start, "%s is a directory: name the file", in_scratch("keys"));
    CHECK(refused(in_scratch("keys"), SIM_SECRET_DIRECTORY, start));
}

static void a_big_file_is_refused(void)
{
    static uint8_t big[1 << 20];
    char start[512];
    write_bytes(in_scratch("big"), big, sizeof big);
    snprintf(start, sizeof start, "%s is longer than 4096 bytes", in_scratch("big"));
    CHECK(refused(in_scratch("big"), SIM_SECRET_FILE_TOO_BIG, start));
}

static void a_missing_file_says_so(void)
{
    char start[512];
    snprintf(start, sizeof start, "%s does not exist: create it", in_scratch("nope"));
    CHECK(refused(in_scratch("nope"), SIM_SECRET_CANNOT_READ, start));
}

static void a_key_of_2000_characters_is_refused_with_its_length(void)
{
    static uint8_t key[2001];
    char start[512];
    memset(key, 'a', 2000);
    key[2000] = '\n';
    write_bytes(in_scratch("long"), key, sizeof key);
    snprintf(start, sizeof start, "the first line of %s is longer than 1024 bytes (2000): use a shorter secret",
             in_scratch("long"));
    CHECK(refused(in_scratch("long"), SIM_SECRET_TOO_LONG, start));
}

static void a_value_on_the_command_line_has_the_same_limits(void)
{
    static char value[1100];
    struct sim_secret_problem p;

    memset(value, 'a', 1024);
    CHECK(sim_secret_check_value(value, "the key", &p) == SIM_SECRET_OK);
    CHECK(sim_secret_check_value("", "the key", &p) == SIM_SECRET_OK);
    CHECK(sim_secret_check_value("cl\xc3\xa9", "the key", &p) == SIM_SECRET_OK);
    value[1024] = 'a';
    CHECK(sim_secret_check_value(value, "the key", &p) == SIM_SECRET_TOO_LONG);
    CHECK(strncmp(p.message, "the key is longer than 1024 bytes (1025)", 40) == 0);
    CHECK(sim_secret_check_value("two\nlines", "the key", &p) == SIM_SECRET_LINE_BREAK);
    CHECK(strncmp(p.message, "the key holds a line break (byte 4)", 35) == 0);
    CHECK(sim_secret_check_value("cr\r", "the key", &p) == SIM_SECRET_LINE_BREAK);
    CHECK(sim_secret_check_value("k\xe9", "the key", &p) == SIM_SECRET_NOT_UTF8);
    CHECK(strncmp(p.message, "the key is not valid UTF-8 (byte 2)", 35) == 0);
}

int main(int argc, char **argv)
{
    static const struct test_case tests[] = {
        TEST(devices_are_refused_without_reading_them),
        TEST(a_fifo_is_refused_without_waiting_for_a_writer),
        TEST(a_directory_is_named_as_one),
        TEST(a_big_file_is_refused),
        TEST(a_missing_file_says_so),
        TEST(a_key_of_2000_characters_is_refused_with_its_length),
        TEST(a_value_on_the_command_line_has_the_same_limits),
    };
    char rm[64];
    size_t cases;
    int table_ok, rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s secret_files.txt\n", argv[0]);
        return 2;
    }
    if (mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    alarm(30); /* a reader that blocks (a FIFO) or never ends (/dev/zero) is killed: the test fails */
    table_ok = run_table(argv[1], &cases);
    printf("secret_files.txt: %zu cases\n", cases);
    rc = run_tests("secret_file", tests, sizeof tests / sizeof tests[0], NULL, NULL);
    snprintf(rm, sizeof rm, "rm -rf %s", scratch);
    if (system(rm) != 0) {
        fprintf(stderr, "could not remove %s\n", scratch);
    }
    return table_ok && cases >= 40 && rc == 0 ? 0 : 1;
}
