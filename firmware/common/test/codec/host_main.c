/* Runs the portable suites on the host (under ASan/UBSan in `make test`). */
#include <stdio.h>

#include "harness.h"

void mqttvpn_test_write(const char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
}

int main(void)
{
    mqttvpn_vector_tests();
    mqttvpn_roundtrip_tests();
    mqttvpn_packet_check_tests();
    mqttvpn_topic_tests();
    mqttvpn_hash_tests();
    mqttvpn_ota_text_tests();
    return mqttvpn_test_summary("host codec tests") == 0 ? 0 : 1;
}
