/* Test-only lwIP OS port types (replaces Debian's): see README.md. */
#ifndef TEST_ARCH_SYS_ARCH_H
#define TEST_ARCH_SYS_ARCH_H
typedef struct test_sys_sem *sys_sem_t;
typedef struct test_sys_mutex *sys_mutex_t;
typedef struct test_sys_mbox *sys_mbox_t;
typedef struct test_sys_thread *sys_thread_t;
#define sys_sem_valid(s) ((s) != NULL && *(s) != NULL)
#define sys_sem_set_invalid(s) (*(s) = NULL)
#define sys_mbox_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mbox_set_invalid(m) (*(m) = NULL)
#define sys_mutex_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mutex_set_invalid(m) (*(m) = NULL)
#endif
