// C++ includes ferrotls.h directly (extern "C" guards) and links against libferrotls.
#include <ferrotls.h>

#include <cstdio>
#include <cstring>

int main() {
    ferrotls_client_config_builder *b = nullptr;
    if (ferrotls_client_config_builder_new(&b) != FERROTLS_OK) return 1;
    ferrotls_client_config_builder_free(b);
    bool ok = std::strcmp(ferrotls_version(), FERROTLS_VERSION_STRING) == 0;
    std::printf("cxx_header_test: %d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
