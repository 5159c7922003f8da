#include "ctplab/live/stat_map.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

TEST(StatMap, EnvoyTextIsSortedNameColonValue) {
  StatMap s;
  addStat(s, "http.http-10080.downstream_rq_total", 12);
  addStat(s, "connection_limit.http-10080.limited_connections", 2);
  addStat(s, "http.http-10080.downstream_rq_total", 3);  // a second worker adds up
  EXPECT_EQ(formatEnvoyText(s),
            "connection_limit.http-10080.limited_connections: 2\n"
            "http.http-10080.downstream_rq_total: 15\n");
}

TEST(StatMap, HcmPrefixBecomesATag) {
  const auto p = prometheusName("http.http-10080.downstream_rq_total");
  EXPECT_EQ(p.metric, "envoy_http_downstream_rq_total");
  EXPECT_EQ(p.tags, (Tags{{"envoy_http_conn_manager_prefix", "http-10080"}}));
}

TEST(StatMap, ResponseCodeClassIsExtractedFirst) {
  const auto p = prometheusName("http.http-10080.downstream_rq_2xx");
  EXPECT_EQ(p.metric, "envoy_http_downstream_rq_xx");
  EXPECT_EQ(p.tags, (Tags{{"envoy_response_code_class", "2"},
                          {"envoy_http_conn_manager_prefix", "http-10080"}}));
}

TEST(StatMap, NestedCodecAndRbacNamesKeepTheirPath) {
  EXPECT_EQ(prometheusName("http.http-10080.http1.dropped_headers_with_underscores").metric,
            "envoy_http_http1_dropped_headers_with_underscores");
  EXPECT_EQ(prometheusName("http.http-10080.rbac.denied").metric, "envoy_http_rbac_denied");
}

TEST(StatMap, ConnectionLimitAndListenerAddress) {
  const auto cl = prometheusName("connection_limit.http-10080.limited_connections");
  EXPECT_EQ(cl.metric, "envoy_connection_limit_limited_connections");
  EXPECT_EQ(cl.tags, (Tags{{"envoy_connection_limit_prefix", "http-10080"}}));
  const auto l = prometheusName("listener.0.0.0.0_10080.downstream_cx_total");
  EXPECT_EQ(l.metric, "envoy_listener_downstream_cx_total");
  EXPECT_EQ(l.tags, (Tags{{"envoy_listener_address", "0.0.0.0_10080"}}));
  const auto v6 = prometheusName("listener.[__1]_10080.downstream_cx_active");
  EXPECT_EQ(v6.metric, "envoy_listener_downstream_cx_active");
  EXPECT_EQ(v6.tags, (Tags{{"envoy_listener_address", "[__1]_10080"}}));
}

TEST(StatMap, UntaggedNamesAreFlattened) {
  const auto p = prometheusName("proxy_proto.versions.v1.found");
  EXPECT_EQ(p.metric, "envoy_proxy_proto_versions_v1_found");
  EXPECT_TRUE(p.tags.empty());
}

TEST(StatMap, PrometheusGroupsSamplesUnderOneTypeLine) {
  StatMap s;
  addStat(s, "http.http-10080.downstream_rq_2xx", 5);
  addStat(s, "http.http-10080.downstream_rq_4xx", 1);
  addStat(s, "http.http-10080.downstream_cx_active", 2, true);
  EXPECT_EQ(formatPrometheus(s),
            "# TYPE envoy_http_downstream_cx_active gauge\n"
            "envoy_http_downstream_cx_active{envoy_http_conn_manager_prefix=\"http-10080\"} 2\n"
            "# TYPE envoy_http_downstream_rq_xx counter\n"
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\","
            "envoy_http_conn_manager_prefix=\"http-10080\"} 5\n"
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"4\","
            "envoy_http_conn_manager_prefix=\"http-10080\"} 1\n");
}

TEST(StatMap, MalformedNamesNeverCrash) {
  for (const char* name : {"", "http", "http.", "http..x", "listener.", "listener.1.", "x_rq_9xx",
                           "listener.0.0.0.0_1", "connection_limit.a"}) {
    const auto p = prometheusName(name);
    EXPECT_EQ(p.metric.rfind("envoy_", 0), 0u) << name;
  }
}

}  // namespace
}  // namespace ctplab::live
