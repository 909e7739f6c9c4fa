/* The Esp.h model (sdk/Esp.h). */
#include "Arduino.h"

EspClass ESP;
unsigned model_restarts;
unsigned long model_restart_ms;
uint32_t model_free_sketch_space;
const char *model_sketch_md5;

void model_esp_reset()
{
    model_restarts = 0;
    model_restart_ms = 0;
    model_free_sketch_space = 1024u * 1024u;
    model_sketch_md5 = "3f2a9c01d4e7b6a85c0e1f2d3b4a5968";
}

void EspClass::restart()
{
    model_restarts++;
    model_restart_ms = model_millis;
}

uint32_t EspClass::getFreeSketchSpace()
{
    return model_free_sketch_space;
}

String EspClass::getSketchMD5()
{
    return String(model_sketch_md5);
}
