/*
 * The state directory (src/slots.c) in a scratch directory: installing the running executable,
 * a new image becoming active and pending, its first start marked, the rollback when it starts
 * again unconfirmed (or fails probation), the confirmation, and the state file replaced
 * atomically or not at all. "self" stands for /proc/self/exe: a file the test names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slots.h"
#include "test_check.h"

static char scratch[] = "/tmp/mqttvpn-slots-XXXXXX";
static char dir[256], launcher[256]; /* short: in_dir appends a name */
static struct slots s;

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        abort();
    }
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

/* The file's first line ("" when it cannot be read). */
static const char *first_line(const char *path)
{
    static char line[256];
    FILE *f = fopen(path, "r");
    line[0] = '\0';
    if (f != NULL) {
        if (fgets(line, sizeof line, f) == NULL) {
            line[0] = '\0';
        }
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    return line;
}

static const char *in_dir(const char *name)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static int is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) == 0111;
}

static int state_is(char active, char previous, int pending, int started)
{
    struct slots fresh;
    if (slots_open(&fresh, dir) != 0 || slots_read_state(&fresh) != 1) {
        return 0;
    }
    return fresh.state.active == active && fresh.state.previous == previous && fresh.state.pending == pending &&
           fresh.state.started == started;
}

static void before(void)
{
    static unsigned n;
    snprintf(dir, sizeof dir, "%s/state-%u", scratch, ++n);
    snprintf(launcher, sizeof launcher, "%s/launcher-%u", scratch, n);
    write_file(launcher, "image one\n", 0755);
}

/* A new image arrives through the OTA path: begin, write, commit. */
static int receive_image(const char *text)
{
    int fd = slots_begin_image(&s);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        return 0;
    }
    return slots_commit_image(&s, fd) == 0;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void first_start_installs_the_running_executable_as_slot_a_and_execs_it(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(plan.installed && plan.slot == 'a' && plan.exec_needed && !plan.on_probation);
    CHECK(strcmp(plan.path, in_dir("slot-a")) == 0);
    CHECK(strcmp(first_line(in_dir("slot-a")), "image one") == 0);
    CHECK(is_executable(in_dir("slot-a")));
    CHECK(state_is('a', 0, 0, 0));
    CHECK(strcmp(first_line(in_dir("state")), "mqttvpn-sim state 1") == 0);
    CHECK(access(in_dir("slot-a.part"), F_OK) != 0 && access(in_dir("state.tmp"), F_OK) != 0);
}

static void the_installed_slot_runs_without_exec_and_a_launcher_execs_it(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(slots_boot_plan(&s, in_dir("slot-a"), &plan) == 0);
    CHECK(!plan.exec_needed && !plan.installed && !plan.on_probation && plan.slot == 'a');
    write_file(launcher, "a newer build\n", 0755); /* started from elsewhere: still slot a */
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(plan.exec_needed && plan.slot == 'a');
    CHECK(strcmp(first_line(in_dir("slot-a")), "image one") == 0);
}

static void received_image_becomes_active_and_pending_in_the_free_slot(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(slots_free_slot(&s) == 'b');
    CHECK(receive_image("image two\n"));
    CHECK(strcmp(first_line(in_dir("slot-b")), "image two") == 0);
    CHECK(is_executable(in_dir("slot-b")));
    CHECK(access(in_dir("slot-b.part"), F_OK) != 0);
    CHECK(state_is('b', 'a', 1, 0));
    CHECK(slots_free_slot(&s) == 'a');
}

static void discarded_image_leaves_no_file_and_the_state_as_it_was(void)
{
    struct boot_plan plan;
    int fd;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    fd = slots_begin_image(&s);
    CHECK(fd >= 0);
    CHECK(write(fd, "half", 4) == 4);
    CHECK(access(in_dir("slot-b.part"), F_OK) == 0);
    slots_discard_image(&s, fd);
    CHECK(access(in_dir("slot-b.part"), F_OK) != 0 && access(in_dir("slot-b"), F_OK) != 0);
    CHECK(state_is('a', 0, 0, 0));
}

static void pending_image_is_marked_started_by_itself_not_by_a_launcher(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(receive_image("image two\n"));
    /* The old image (or any launcher) only execs the new one. */
    CHECK(slots_boot_plan(&s, in_dir("slot-a"), &plan) == 0);
    CHECK(plan.exec_needed && plan.slot == 'b' && !plan.rolled_back);
    CHECK(state_is('b', 'a', 1, 0));
    /* The new image itself starts on probation, and that is written down first. */
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(!plan.exec_needed && plan.on_probation && plan.slot == 'b');
    CHECK(state_is('b', 'a', 1, 1));
}

static void pending_image_started_again_unconfirmed_rolls_back_to_the_previous_one(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(receive_image("image two\n"));
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(plan.on_probation);
    /* It crashed, or was killed, before it rejoined: the next start returns to slot a. */
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(plan.rolled_back && plan.slot == 'a' && plan.exec_needed && !plan.on_probation);
    CHECK(state_is('a', 0, 0, 0));
    CHECK(slots_boot_plan(&s, in_dir("slot-a"), &plan) == 0);
    CHECK(!plan.exec_needed && !plan.rolled_back && !plan.on_probation);
}

static void confirmed_image_stays_after_restarts(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(receive_image("image two\n"));
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(slots_confirm(&s) == 0);
    CHECK(state_is('b', 'a', 0, 0));
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(!plan.rolled_back && !plan.on_probation && plan.slot == 'b' && !plan.exec_needed);
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(plan.slot == 'b' && state_is('b', 'a', 0, 0));
    /* The next update goes to slot a, the one not running. */
    CHECK(slots_free_slot(&s) == 'a');
    CHECK(receive_image("image three\n"));
    CHECK(strcmp(first_line(in_dir("slot-a")), "image three") == 0);
    CHECK(state_is('a', 'b', 1, 0));
}

static void failed_probation_rolls_back_and_leaves_nothing_to_return_to(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(receive_image("image two\n"));
    CHECK(slots_boot_plan(&s, in_dir("slot-b"), &plan) == 0);
    CHECK(slots_roll_back(&s) == 0);
    CHECK(state_is('a', 0, 0, 0));
    CHECK(slots_roll_back(&s) != 0);
    CHECK(strstr(s.error, "no previous image") != NULL);
    /* The running (old) image is what the state names: a plan from it execs nothing. */
    CHECK(slots_boot_plan(&s, in_dir("slot-a"), &plan) == 0);
    CHECK(!plan.exec_needed && plan.slot == 'a');
}

static void state_file_is_replaced_whole_or_not_at_all(void)
{
    struct slot_state next = {'b', 'a', 1, 0};
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    /* The temporary file cannot be written (a directory holds its name): the write fails and
     * the state file is untouched, not truncated or half written. */
    CHECK(mkdir(in_dir("state.tmp"), 0700) == 0);
    CHECK(slots_write_state(&s, &next) != 0);
    CHECK(strstr(s.error, "state.tmp") != NULL);
    CHECK(state_is('a', 0, 0, 0));
    CHECK(rmdir(in_dir("state.tmp")) == 0);
    /* A temporary file a crash left behind changes nothing and is replaced by the next write. */
    write_file(in_dir("state.tmp"), "mqttvpn-sim state 1\nactive b\n", 0600);
    CHECK(state_is('a', 0, 0, 0));
    CHECK(slots_write_state(&s, &next) == 0);
    CHECK(state_is('b', 'a', 1, 0));
    CHECK(access(in_dir("state.tmp"), F_OK) != 0);
}

static void damaged_state_file_is_an_error_naming_the_file_and_line(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    write_file(in_dir("state"), "mqttvpn-sim state 1\nactive c\nprevious -\npending 0\nstarted 0\n", 0600);
    CHECK(slots_boot_plan(&s, launcher, &plan) != 0);
    CHECK(strstr(s.error, "/state:2:") != NULL);
    write_file(in_dir("state"), "mqttvpn-sim state 1\nactive a\n", 0600);
    CHECK(slots_read_state(&s) == -1);
    CHECK(strstr(s.error, "incomplete") != NULL);
    write_file(in_dir("state"), "mqttvpn-sim state 1\nactive a\nprevious a\npending 0\nstarted 0\n", 0600);
    CHECK(slots_read_state(&s) == -1);
}

static void missing_active_image_is_an_error(void)
{
    struct boot_plan plan;

    CHECK(slots_open(&s, dir) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) == 0);
    CHECK(unlink(in_dir("slot-a")) == 0);
    CHECK(slots_boot_plan(&s, launcher, &plan) != 0);
    CHECK(strstr(s.error, "slot-a") != NULL && strstr(s.error, "missing") != NULL);
}

static void state_dir_that_is_a_file_is_refused(void)
{
    write_file(dir, "not a directory\n", 0600);
    CHECK(slots_open(&s, dir) != 0);
    CHECK(strstr(s.error, "not a directory") != NULL);
}

static const struct test_case tests[] = {
    TEST(first_start_installs_the_running_executable_as_slot_a_and_execs_it),
    TEST(the_installed_slot_runs_without_exec_and_a_launcher_execs_it),
    TEST(received_image_becomes_active_and_pending_in_the_free_slot),
    TEST(discarded_image_leaves_no_file_and_the_state_as_it_was),
    TEST(pending_image_is_marked_started_by_itself_not_by_a_launcher),
    TEST(pending_image_started_again_unconfirmed_rolls_back_to_the_previous_one),
    TEST(confirmed_image_stays_after_restarts),
    TEST(failed_probation_rolls_back_and_leaves_nothing_to_return_to),
    TEST(state_file_is_replaced_whole_or_not_at_all),
    TEST(damaged_state_file_is_an_error_naming_the_file_and_line),
    TEST(missing_active_image_is_an_error),
    TEST(state_dir_that_is_a_file_is_refused),
};

int main(void)
{
    char cmd[PATH_MAX + 16];
    int rc;

    if (mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    rc = run_tests("slots", tests, sizeof(tests) / sizeof(tests[0]), before, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", scratch);
    }
    return rc;
}
