/* TCP and UDP echo on port 7 of every address of the device. Core context. */
#ifndef SIM_ECHO_SERVER_H
#define SIM_ECHO_SERVER_H

int echo_server_start(void); /* 0 on success */
void echo_server_stop(void);

#endif
