/*
 * A secret read from a file rather than the command line, where ps shows it to every user
 * (--password-file). Kept apart from the options so that a reader shared by the whole project
 * can replace it: the rule is the same (regular file, at most SIM_SECRET_FILE_MAX bytes, the
 * first line without its "\n" or "\r\n").
 */
#ifndef SIM_SECRET_FILE_H
#define SIM_SECRET_FILE_H

#include <stddef.h>

/* The largest file read: a secret file holds one short line, anything bigger is another file. */
#ifndef SIM_SECRET_FILE_MAX
#define SIM_SECRET_FILE_MAX 4096
#endif

/*
 * Reads the first line of the regular file at path into a new string: *secret, which the caller
 * wipes and frees. Fails (returns -1, *secret NULL) when the file cannot be opened or read, is
 * not a regular file (a pipe or a device could block or never end), is longer than
 * SIM_SECRET_FILE_MAX bytes, or its first line is empty or holds a NUL byte; why (why_size
 * bytes, may be 0) then says so in a few words, naming the file. Returns 0 on success. Never
 * blocks on a FIFO: it is opened non-blocking and refused.
 */
int sim_secret_file_read(const char *path, char **secret, char *why, size_t why_size);

#endif
