/* TCP discard (RFC 863) on port 9 of every address of the device. Core context. */
#ifndef SIM_DISCARD_SERVER_H
#define SIM_DISCARD_SERVER_H

int discard_server_start(void); /* 0 on success */
void discard_server_stop(void);

#endif
