/* Host model of the core's WString.h: the String that IPAddress::toString() returns. */
#ifndef MQTTVPN_MODEL_WSTRING_H
#define MQTTVPN_MODEL_WSTRING_H

#include <string>

class String {
public:
    String(const char *s = "") : s_(s) {}
    const char *c_str() const { return s_.c_str(); }
    unsigned int length() const { return (unsigned int)s_.size(); }

private:
    std::string s_;
};

#endif
