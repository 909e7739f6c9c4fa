# The portable core's sources, relative to firmware/common. Include this file to build the
# core into another program (host-sim, the Arduino library, the ESP-IDF component) without
# repeating the list: $(MQTTVPN_CORE_SRCS) compiled with -I$(MQTTVPN_CORE_INCLUDES).
MQTTVPN_CORE_SRCS := \
	src/crypto/sha512.c \
	src/crypto/salsa20.c \
	src/crypto/poly1305.c \
	src/crypto/secretbox.c \
	src/crypto/wipe.c \
	src/codec/codec.c \
	src/codec/packet_check.c \
	src/codec/topic.c

# include/ is the public API (mqttvpn/codec.h); src/crypto holds the core's private headers.
MQTTVPN_CORE_INCLUDES := include src/crypto
