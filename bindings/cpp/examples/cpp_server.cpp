// cpp_server: serves one connection: echoes what the client sends until its close_notify.
//   cpp_server CHAIN KEY [--verify-client CAFILE [--require]]
// Prints "listening on 127.0.0.1:PORT", then the client's certificate subject if it sent one.
#include <ferrotls.hpp>

#include <cstring>
#include <iostream>

#include "net.hpp"

int main(int argc, char **argv) try {
    if (argc < 3) { std::cerr << "usage: cpp_server CHAIN KEY [--verify-client CAFILE [--require]]\n"; return 2; }
    ferrotls::ServerConfigBuilder builder;
    builder.set_cert_chain_and_key(ferrotls::CertChain::from_file(argv[1]), ferrotls::PrivateKey::from_file(argv[2]));
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    if (argc > 4 && !std::strcmp(argv[3], "--verify-client")) {
        ferrotls::TrustStore client_cas;
        client_cas.add_file(argv[4]);
        ferrotls::ClientVerifier verifier(client_cas);
        verifier.set_optional(!(argc > 5 && !std::strcmp(argv[5], "--require")));
        builder.set_client_verifier(verifier);
    }
#endif
    ferrotls::ServerConfig config = builder.build();

    int port = 0;
    int listener = tcp_listen(0, port);
    std::cout << "listening on 127.0.0.1:" << port << std::endl;
    int fd = accept(listener, nullptr, nullptr);
    ferrotls::Stream tls(ferrotls::Connection::server(config), fd);
    tls.handshake();
    auto client = tls.connection().peer_cert_chain();
    std::cout << "client certificate: " << (client.empty() ? "none" : client[0].subject()) << std::endl;
    char buf[4096];
    for (size_t n; (n = tls.read(buf, sizeof buf)) > 0;) tls.write_all(buf, n);
    tls.shutdown();
    std::cout << "closed cleanly" << std::endl;
    close(fd);
    close(listener);
    return 0;
} catch (const ferrotls::Error &e) {
    std::cerr << "cpp_server: error " << e.code() << ": " << e.what() << "\n";
    return 1;
} catch (const std::exception &e) {
    std::cerr << "cpp_server: " << e.what() << "\n";
    return 1;
}
