/*
 * The state directory (--state-dir): two image slots and the state that says which one runs,
 * host-sim's model of an ESP32's two OTA partitions and its boot loader's rollback
 * (OTA-PROTOCOL.md, section 5).
 *
 *   DIR/slot-a, DIR/slot-b   executables (mqttvpn-sim images)
 *   DIR/state                which slot is active, which one ran before it, whether the active
 *                            one is on probation (pending) and was already started once
 *   DIR/slot-?.part          an image being received; DIR/state.tmp: the state being replaced
 *
 * Every file is replaced atomically (written to a temporary file, fsync'ed, renamed over the
 * old one, then the directory fsync'ed): a crash leaves the old version or the new one, never
 * a mix. Plain POSIX; no lwIP, nothing of the core.
 */
#ifndef SIM_SLOTS_H
#define SIM_SLOTS_H

#include <limits.h>
#include <stddef.h>

#define SLOTS_ERROR_MAX 512

struct slot_state {
    char active;    /* 'a' or 'b' */
    char previous;  /* 'a', 'b', or 0: none to return to */
    int pending;    /* the active image is new and not confirmed yet */
    int started;    /* ...and has been started once */
};

/* Room for the longest name in the directory ("/slot-a.part") in a PATH_MAX path. */
#define SLOTS_DIR_MAX (PATH_MAX - 32)

struct slots {
    char dir[SLOTS_DIR_MAX];
    struct slot_state state;      /* as last read or written */
    char error[SLOTS_ERROR_MAX];  /* why the last call failed: what, which file, the errno text */
};

/* Uses dir (created if missing, one level). 0, or -1 with s->error. */
int slots_open(struct slots *s, const char *dir);

/* DIR/slot-<slot> into out (PATH_MAX). */
void slots_path(const struct slots *s, char slot, char *out);

/* The slot that is not active: where a new image goes. */
char slots_free_slot(const struct slots *s);

/* Reads DIR/state into s->state. 1 when read, 0 when there is none, -1 on an error (a file that
 * cannot be read or parsed; s->error names it and the line). */
int slots_read_state(struct slots *s);

/* Replaces DIR/state atomically with st (and s->state on success). 0, or -1 with s->error. */
int slots_write_state(struct slots *s, const struct slot_state *st);

/* Copies the file at from (e.g. /proc/self/exe) into slot, executable, atomically. */
int slots_install(struct slots *s, const char *from, char slot);

/* A new image in the free slot: opens DIR/slot-<free>.part for writing (truncated). Returns the
 * descriptor (close-on-exec), or -1 with s->error. */
int slots_begin_image(struct slots *s);

/* The image written to fd is whole and checked: makes it executable, syncs it, puts it in the
 * free slot and records that slot as active and pending, the running one as previous. Closes
 * fd in every case. 0, or -1 with s->error (the old state stays). */
int slots_commit_image(struct slots *s, int fd);

/* Forgets a partial image: closes fd (if >= 0) and removes the .part file. */
void slots_discard_image(struct slots *s, int fd);

/* The running image has rejoined: no longer pending. */
int slots_confirm(struct slots *s);

/* The active image failed its probation: the previous slot becomes active (nothing to return
 * to after that). -1 with s->error when there is no previous image. */
int slots_roll_back(struct slots *s);

/* What the process should do at start (boot_plan). */
struct boot_plan {
    char slot;            /* the slot that must run */
    char path[PATH_MAX];  /* its file */
    int exec_needed;      /* this process is not that image: exec it */
    int on_probation;     /* this process is that image, new: confirm it or roll back */
    int installed;        /* the directory had no image: self was installed as slot a */
    int rolled_back;      /* the active image had been started without being confirmed */
};

/*
 * Decides which image runs, updating the state on the way: installs self as slot a in an empty
 * directory; returns to the previous image when the pending one was started before and never
 * confirmed (it crashed, hung or was killed on probation); marks a pending image started when
 * self is that image (so that its next start without a confirmation rolls back). self is the
 * running executable (/proc/self/exe); it is that image when both are the same file (device
 * and inode). 0, or -1 with s->error.
 */
int slots_boot_plan(struct slots *s, const char *self, struct boot_plan *plan);

#endif
