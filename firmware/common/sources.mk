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

# The lwIP netif driver: needs lwIP headers (and an lwipopts.h) besides the core's.
MQTTVPN_NETIF_SRCS := src/netif/mqttvpn_netif.c

# The portable platform glue the ESP8266 library and the ESP-IDF component share (bounded
# message queue, esp-mqtt fragment reassembly, interface management, reconnect state machine);
# its public headers are in include/mqttvpn/glue. Needs lwIP headers for iface.c and session.c.
MQTTVPN_GLUE_SRCS := \
	src/glue/msgq.c \
	src/glue/reasm.c \
	src/glue/iface.c \
	src/glue/session.c \
	src/glue/brokers.c

# The OTA receiver (include/mqttvpn/ota.h, OTA-PROTOCOL.md) with the hashes and protocol text it
# needs, for platforms that take firmware updates over the network (host-sim, ESP-IDF, the ESP8266
# library). ota.c and ota_probation.c need lwIP headers, the rest not.
MQTTVPN_OTA_SRCS := \
	src/crypto/md5.c \
	src/crypto/sha256.c \
	src/ota/ota_lines.c \
	src/ota/ota_auth.c \
	src/ota/ota_probation.c \
	src/ota/ota.c
