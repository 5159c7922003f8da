// The HTTP/1 head ↔ RequestFields adapter: Host handling, HTTP/1.0 default host, write-back.
#include "ctplab/proxy/request/http1_adapter.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::request {
namespace {

using http1::HeaderList;

http1::RequestHead head(std::string target, HeaderList headers, http1::Version v = {1, 1}) {
  http1::RequestHead h;
  h.method = "GET";
  h.target = std::move(target);
  h.version = v;
  h.headers = std::move(headers);
  return h;
}

TEST(RequestHttp1Adapter, HostBecomesTheAuthorityAndOtherFieldsKeepTheirOrder) {
  http1::RequestHead h = head("/a", {{"Accept", "*/*"}, {"Host", "a.example"}, {"X-B", "1"}});
  const RequestFields f = takeRequestFields(h, std::nullopt);
  EXPECT_EQ(f.method, "GET");
  EXPECT_EQ(f.path, "/a");
  EXPECT_EQ(f.authority, "a.example");
  EXPECT_EQ(f.headers, (HeaderList{{"Accept", "*/*"}, {"X-B", "1"}}));
}

TEST(RequestHttp1Adapter, SeveralHostFieldsAreCommaJoined) {
  http1::RequestHead h = head("/", {{"host", "a"}, {"HOST", "b"}});
  EXPECT_EQ(takeRequestFields(h, std::nullopt).authority, "a,b");
}

TEST(RequestHttp1Adapter, Http10DefaultHostOnlyForHostlessOldVersions) {
  const std::optional<std::string> fallback = "default.example";
  http1::RequestHead old = head("/", {}, {1, 0});
  EXPECT_EQ(takeRequestFields(old, fallback).authority, "default.example");
  http1::RequestHead old_with_host = head("/", {{"Host", "own"}}, {1, 0});
  EXPECT_EQ(takeRequestFields(old_with_host, fallback).authority, "own");
  http1::RequestHead current = head("/", {}, {1, 1});
  EXPECT_EQ(takeRequestFields(current, fallback).authority, std::nullopt);
}

TEST(RequestHttp1Adapter, ProcessRewritesTheHeadAsForwardedUpstream) {
  RequestPipelineConfig c;
  c.strip_trailing_host_dot = true;
  http1::RequestHead h = head("/a//b/../c?x=1", {{"Accept", "*/*"}, {"Host", "example.com.:80"}});
  const RequestVerdict v = processHttp1Request(c, RequestContext{.request_id_bits = {1, 2}}, h);
  ASSERT_TRUE(std::holds_alternative<Forward>(v));
  EXPECT_EQ(std::get<Forward>(v).route_path, "/a/c");
  EXPECT_EQ(h.target, "/a/c?x=1");
  EXPECT_EQ(h.headers, (HeaderList{{"host", "example.com:80"},
                                   {"Accept", "*/*"},
                                   {"x-request-id", "00000000-0000-4001-8000-000000000002"}}));
}

}  // namespace
}  // namespace ctplab::proxy::request
