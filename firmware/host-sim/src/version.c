#include "version.h"

#ifndef SIM_VERSION
#error "build with -DSIM_VERSION=\"...\" (the Makefile passes SIM_VERSION)"
#endif

const char sim_version[] = SIM_VERSION;
