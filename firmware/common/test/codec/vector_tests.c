/*
 * The classic vectors (computed with libsodium, generated into classic_vectors.h from
 * classic.json): the codec must reproduce and accept exactly these frames.
 */
#include <string.h>

#include "classic_vectors.h"
#include "harness.h"
#include "mqttvpn/codec.h"

/* Word arrays: the frames start 4-byte aligned, as a network stack's buffers do. */
static uint32_t frame_words[(MQTTVPN_MAX_FRAME + 3) / 4];
static uint32_t packet_words[(MQTTVPN_MAX_FRAME + 3) / 4];
#define FRAME ((uint8_t *)frame_words)
#define PACKET ((uint8_t *)packet_words)
#define SENTINEL 0xa5

static mqttvpn_key_t key_for(const char *password)
{
    mqttvpn_key_t key;
    mqttvpn_key_from_password(&key, password);
    return key;
}

static int all_bytes_are(const uint8_t *p, size_t len, uint8_t value)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != value) {
            return 0;
        }
    }
    return 1;
}

static void key_derivation_matches_every_vector_key(void)
{
    for (size_t i = 0; i < VECTOR_COUNT(vector_keys); i++) {
        const struct vector_key *v = &vector_keys[i];
        mqttvpn_key_t key = key_for(v->password);
        CHECK(key.encrypted == v->encrypted);
        if (v->encrypted) {
            CHECK_MEM(key.bytes, v->key, MQTTVPN_KEY_BYTES);
        }
    }
}

static void null_password_means_no_encryption(void)
{
    mqttvpn_key_t key = key_for(NULL);
    CHECK(!key.encrypted);
    CHECK(mqttvpn_frame_len(&key, 100) == 100);
}

static void seal_with_vector_nonce_reproduces_frame(void)
{
    for (size_t i = 0; i < VECTOR_COUNT(vector_frames); i++) {
        const struct vector_frame *v = &vector_frames[i];
        mqttvpn_key_t key = key_for(v->password);
        CHECK(mqttvpn_frame_len(&key, v->packet_len) == v->frame_len);
        memset(FRAME, SENTINEL, MQTTVPN_MAX_FRAME);
        CHECK(mqttvpn_seal(&key, v->nonce, v->packet, v->packet_len, FRAME) == v->frame_len);
        CHECK_MEM(FRAME, v->frame, v->frame_len);
        CHECK(FRAME[v->frame_len] == SENTINEL);
    }
}

static void open_returns_vector_packet(void)
{
    for (size_t i = 0; i < VECTOR_COUNT(vector_frames); i++) {
        const struct vector_frame *v = &vector_frames[i];
        mqttvpn_key_t key = key_for(v->password);
        memset(PACKET, SENTINEL, MQTTVPN_MAX_FRAME);
        CHECK(mqttvpn_open(&key, v->frame, v->frame_len, PACKET, MQTTVPN_MTU) == (int)v->packet_len);
        CHECK_MEM(PACKET, v->packet, v->packet_len);
        CHECK(PACKET[v->packet_len] == SENTINEL);
    }
}

static void seal_and_open_in_place_reproduce_vectors(void)
{
    for (size_t i = 0; i < VECTOR_COUNT(vector_frames); i++) {
        const struct vector_frame *v = &vector_frames[i];
        mqttvpn_key_t key = key_for(v->password);
        memcpy(FRAME + MQTTVPN_OVERHEAD, v->packet, v->packet_len);
        CHECK(mqttvpn_seal(&key, v->nonce, FRAME + MQTTVPN_OVERHEAD, v->packet_len, FRAME) == v->frame_len);
        CHECK_MEM(FRAME, v->frame, v->frame_len);
        CHECK(mqttvpn_open(&key, FRAME, v->frame_len, FRAME + MQTTVPN_OVERHEAD, MQTTVPN_MTU) ==
              (int)v->packet_len);
        CHECK_MEM(FRAME + MQTTVPN_OVERHEAD, v->packet, v->packet_len);
    }
}

static void plain_frame_is_the_packet_itself(void)
{
    mqttvpn_key_t none = key_for("");
    for (size_t i = 0; i < VECTOR_COUNT(vector_frames); i++) {
        const struct vector_frame *v = &vector_frames[i];
        CHECK(mqttvpn_frame_len(&none, v->packet_len) == v->plain_frame_len);
        CHECK(mqttvpn_seal(&none, v->nonce, v->packet, v->packet_len, FRAME) == v->plain_frame_len);
        CHECK_MEM(FRAME, v->plain_frame, v->plain_frame_len);
        CHECK(mqttvpn_open(&none, v->plain_frame, v->plain_frame_len, PACKET, MQTTVPN_MTU) ==
              (int)v->packet_len);
        CHECK_MEM(PACKET, v->packet, v->packet_len);
    }
}

static void every_reject_vector_is_refused_without_writing(void)
{
    for (size_t i = 0; i < VECTOR_COUNT(vector_rejects); i++) {
        const struct vector_reject *v = &vector_rejects[i];
        mqttvpn_key_t key = key_for(v->password);
        /* The vectors reject by truncation or by a failed tag; which one follows from the length. */
        mqttvpn_drop_t expected = v->frame_len < MQTTVPN_OVERHEAD + 20 ? MQTTVPN_DROP_TOO_SHORT
                                                                        : MQTTVPN_DROP_AUTH_FAILED;
        memset(PACKET, SENTINEL, MQTTVPN_MAX_FRAME);
        int result = mqttvpn_open(&key, v->frame, v->frame_len, PACKET, MQTTVPN_MTU);
        CHECK(result < 0);
        CHECK(mqttvpn_drop_reason(result) == expected);
        CHECK(all_bytes_are(PACKET, MQTTVPN_MAX_FRAME, SENTINEL));
    }
}

static void nonzero_pad_bytes_are_ignored(void)
{
    mqttvpn_key_t key = key_for(vector_nonzero_pad.password);
    int result = mqttvpn_open(&key, vector_nonzero_pad.frame, vector_nonzero_pad.frame_len, PACKET, MQTTVPN_MTU);
    CHECK(result == (int)vector_nonzero_pad_packet_len);
    CHECK_MEM(PACKET, vector_nonzero_pad_packet, vector_nonzero_pad_packet_len);
}

static void topic_of_each_vector_packet_matches(void)
{
    char topic[MQTTVPN_TOPIC_MAX];
    for (size_t i = 0; i < VECTOR_COUNT(vector_frames); i++) {
        const struct vector_frame *v = &vector_frames[i];
        topic[0] = '\0';
        size_t n = mqttvpn_topic_for_packet(topic, sizeof topic, v->topic_prefix, v->packet, v->packet_len);
        CHECK(n == strlen(v->topic));
        CHECK(strcmp(topic, v->topic) == 0);
    }
}

void mqttvpn_vector_tests(void)
{
    RUN(key_derivation_matches_every_vector_key);
    RUN(null_password_means_no_encryption);
    RUN(seal_with_vector_nonce_reproduces_frame);
    RUN(open_returns_vector_packet);
    RUN(seal_and_open_in_place_reproduce_vectors);
    RUN(plain_frame_is_the_packet_itself);
    RUN(every_reject_vector_is_refused_without_writing);
    RUN(nonzero_pad_bytes_are_ignored);
    RUN(topic_of_each_vector_packet_matches);
}
