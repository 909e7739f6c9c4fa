/*
 * The one reader of secrets kept in files (--key-file, --ota-password-file, and any other option
 * that takes a secret from a file). The rule (README, "Keys and other secrets in files") is the
 * Java side's too (host/src/main/java/org/mqttvpn/host/secret/SecretFile.java); both run the
 * table test/secret_files.txt:
 *   - a regular file (symbolic links followed), not a directory, pipe, socket or device, which
 *     could block or never end; at most SIM_SECRET_FILE_MAX bytes;
 *   - the secret is its first line: the bytes before the first LF, or all of them without one;
 *     one CR right before that end is dropped (CR LF files);
 *   - 1 to SIM_SECRET_MAX bytes (bytes, not characters), no NUL, no other CR, no UTF-8 byte
 *     order mark, valid UTF-8; taken byte for byte (nothing trimmed), so the key is SHA-512 of
 *     exactly these bytes (PROTOCOL.md).
 */
#ifndef SIM_SECRET_FILE_H
#define SIM_SECRET_FILE_H

#include <stddef.h>
#include <stdint.h>

#define SIM_SECRET_MAX 1024      /* bytes of a secret (the first line, without its line end) */
#define SIM_SECRET_FILE_MAX 4096 /* bytes of a whole secret file */

enum sim_secret_status {
    SIM_SECRET_OK = 0,
    SIM_SECRET_CANNOT_READ,  /* open or read failed (missing, permission, ...) */
    SIM_SECRET_DIRECTORY,
    SIM_SECRET_NOT_REGULAR,  /* a pipe, a socket or a device */
    SIM_SECRET_FILE_TOO_BIG, /* more than SIM_SECRET_FILE_MAX bytes */
    SIM_SECRET_EMPTY,        /* the first line is empty */
    SIM_SECRET_TOO_LONG,     /* more than SIM_SECRET_MAX bytes */
    SIM_SECRET_NUL,
    SIM_SECRET_STRAY_CR,     /* a CR that does not end the line */
    SIM_SECRET_BOM,          /* the file starts with EF BB BF */
    SIM_SECRET_NOT_UTF8,
    SIM_SECRET_LINE_BREAK,   /* a value (not a file) holding CR or LF */
    SIM_SECRET_NO_MEMORY,
};

struct sim_secret_problem {
    enum sim_secret_status status;
    long at;           /* offset of the offending byte in the file (from 0), or -1 */
    char message[640]; /* one line: what is wrong (naming the file); what to do */
};

/*
 * The secret on the first line of the file at path, into *secret: a new NUL-terminated string
 * (release it with sim_secret_free). Opens without blocking (O_NONBLOCK) and reads at most
 * SIM_SECRET_FILE_MAX + 1 bytes. On failure *secret is NULL and problem says why.
 */
enum sim_secret_status sim_secret_file_read(const char *path, char **secret, struct sim_secret_problem *problem);

/*
 * The rule alone, on a file's content of len bytes: SIM_SECRET_OK and the secret's length in
 * *secret_len (it starts at content[0]), or the problem, *at the offending byte's offset or -1.
 */
enum sim_secret_status sim_secret_of(const uint8_t *content, size_t len, size_t *secret_len, long *at);

/*
 * A secret given on the command line (-k), checked as a first line would be: at most
 * SIM_SECRET_MAX bytes of UTF-8 on one line. "" passes (for a key: no encryption). what names it
 * in the message, like "-k/--key".
 */
enum sim_secret_status sim_secret_check_value(const char *value, const char *what, struct sim_secret_problem *problem);

/* The test table's name of a status: "empty", "too_long", "not_utf8", ... ("ok" for SIM_SECRET_OK). */
const char *sim_secret_status_name(enum sim_secret_status status);

/* Wipes and frees a secret from sim_secret_file_read (NULL is fine). */
void sim_secret_free(char *secret);

#endif
