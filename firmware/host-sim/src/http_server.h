/* The status page over HTTP on port 80 of every address of the device. Core context. */
#ifndef SIM_HTTP_SERVER_H
#define SIM_HTTP_SERVER_H

#include "status_page.h"

/* status must outlive the server. 0 on success. */
int http_server_start(const struct status_source *status);
void http_server_stop(void);

#endif
