/* The version of this image, set when it is built (Makefile: SIM_VERSION, from VERSION). */
#ifndef SIM_VERSION_H
#define SIM_VERSION_H

extern const char sim_version[];

#endif
