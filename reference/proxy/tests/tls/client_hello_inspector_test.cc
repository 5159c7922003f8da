// The TLS inspector: SNI and ALPN from real ClientHellos, split at every byte, and plain text
// or garbage recognised as not TLS.
#include "ctplab/proxy/tls/client_hello_inspector.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

namespace ctplab::proxy::tls {
namespace {

// A real ClientHello from OpenSSL's client.
std::string clientHello(const std::string& sni, const std::string& alpn_wire, int max_version) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  SslPtr ssl(SSL_new(ctx.get()));
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), BIO_new(BIO_s_mem()), out);
  SSL_set_connect_state(ssl.get());
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  if (!alpn_wire.empty()) {
    SSL_set_alpn_protos(ssl.get(), reinterpret_cast<const unsigned char*>(alpn_wire.data()),
                        static_cast<unsigned>(alpn_wire.size()));
  }
  SSL_do_handshake(ssl.get());
  std::string bytes(BIO_ctrl_pending(out), '\0');
  BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

TEST(ClientHelloInspector, ReadsSniAndAlpn) {
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    ClientHelloInspector inspector;
    const auto& info =
        inspector.feed(clientHello("mtls.example.com", std::string("\x02h2\x08http/1.1"), version));
    EXPECT_EQ(info.kind, ClientHelloInfo::Kind::kTls);
    EXPECT_EQ(info.sni, "mtls.example.com");
    EXPECT_EQ(info.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  }
}

TEST(ClientHelloInspector, WithoutSniOrAlpn) {
  ClientHelloInspector inspector;
  const auto& info = inspector.feed(clientHello("", "", TLS1_3_VERSION));
  EXPECT_EQ(info.kind, ClientHelloInfo::Kind::kTls);
  EXPECT_TRUE(info.sni.empty());
  EXPECT_TRUE(info.alpn.empty());
}

TEST(ClientHelloInspector, ByteByByteNeedsMoreUntilTheLastByte) {
  const std::string hello = clientHello("www.example.com", "", TLS1_3_VERSION);
  ClientHelloInspector inspector;
  for (size_t i = 0; i + 1 < hello.size(); ++i) {
    ASSERT_EQ(inspector.feed(hello.substr(i, 1)).kind, ClientHelloInfo::Kind::kNeedMore) << i;
  }
  EXPECT_EQ(inspector.feed(hello.substr(hello.size() - 1)).kind, ClientHelloInfo::Kind::kTls);
  EXPECT_EQ(inspector.info().sni, "www.example.com");
}

TEST(ClientHelloInspector, PlainHttpAndGarbageAreNotTls) {
  for (const std::string& bytes :
       {std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        std::string("\x16\x03\x01\x00\x04\x02\x00\x00\x00", 9), std::string(64, '\0'),
        std::string("\x16\xfe\xfe\x00\x05hello", 10)}) {
    ClientHelloInspector inspector;
    EXPECT_EQ(inspector.feed(bytes).kind, ClientHelloInfo::Kind::kNotTls) << bytes.size();
    // Further bytes change nothing.
    EXPECT_EQ(inspector.feed("more").kind, ClientHelloInfo::Kind::kNotTls);
  }
}

}  // namespace
}  // namespace ctplab::proxy::tls
