// cpp_client: connects, verifies the server, sends TEXT, prints what comes back until close_notify.
//   cpp_client HOST PORT SERVERNAME CAFILE [--cert CHAIN --key KEY] [--send TEXT]
//              [--groups LIST] [--sigalgs LIST] [--no-tickets 1]
#include <ferrotls.hpp>

#include <cstring>
#include <iostream>

#include "net.hpp"

int main(int argc, char **argv) try {
    if (argc < 5) { std::cerr << "usage: cpp_client HOST PORT SERVERNAME CAFILE [--cert C --key K] [--send T]\n"; return 2; }
    std::string cert, key, text = "hello from C++", groups, sigalgs;
    bool tickets = true;
    for (int i = 5; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--cert")) cert = argv[i + 1];
        else if (!std::strcmp(argv[i], "--key")) key = argv[i + 1];
        else if (!std::strcmp(argv[i], "--send")) text = argv[i + 1];
        else if (!std::strcmp(argv[i], "--groups")) groups = argv[i + 1];
        else if (!std::strcmp(argv[i], "--sigalgs")) sigalgs = argv[i + 1];
        else if (!std::strcmp(argv[i], "--no-tickets")) tickets = false;
    }
    ferrotls::TrustStore roots;
    roots.add_file(argv[4]);
    ferrotls::ClientConfigBuilder builder;
    builder.set_trust_store(roots).set_groups(groups).set_signature_schemes(sigalgs).set_tickets(tickets);
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    if (!cert.empty()) builder.set_client_cert(ferrotls::CertChain::from_file(cert), ferrotls::PrivateKey::from_file(key));
#endif
    ferrotls::ClientConfig config = builder.build();

    int fd = tcp_connect(argv[1], argv[2]);
    ferrotls::Stream tls(ferrotls::Connection::client(config, argv[3]), fd);
    tls.handshake();
    auto &conn = tls.connection();
    auto peer = conn.peer_cert_chain();
    std::cout << "version " << conn.protocol_version_name() << ", suite " << conn.cipher_suite_name() << "\n"
              << "server certificate: " << peer[0].subject() << " (serial " << peer[0].serial() << ")\n"
              << "group " << (conn.negotiated_group() ? conn.negotiated_group_name() : "none") << ", server signature "
              << (conn.peer_signature_scheme() ? ferrotls::Connection::signature_scheme_name(conn.peer_signature_scheme()) : "none")
              << "\n";
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    std::cout << "client certificate sent: " << (conn.client_certificate_sent() ? "yes" : "no") << "\n";
#endif
    tls.write_all(text);
    tls.shutdown();
    std::cout << "received: " << tls.read_to_end() << "\n";
    close(fd);
    return 0;
} catch (const ferrotls::Error &e) {
    std::cerr << "cpp_client: error " << e.code() << ": " << e.what() << "\n";
    return 1;
} catch (const std::exception &e) {
    std::cerr << "cpp_client: " << e.what() << "\n";
    return 1;
}
