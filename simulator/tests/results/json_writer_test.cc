// JsonWriter tests: exact pretty and compact layouts of nested documents, scalars, stream output,
// and every kind of structural misuse.
#include "ctplab/simulator/results/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace ctplab::sim::results {
namespace {

constexpr JsonWriterOptions kPretty{.style = JsonStyle::kPretty, .abort_on_misuse = false};
constexpr JsonWriterOptions kCompact{.style = JsonStyle::kCompact, .abort_on_misuse = false};

void writeSample(JsonWriter& w) {
  w.beginObject();
  w.key("name").string("flood \"A\"");
  w.key("ok").boolean(true);
  w.key("p99_ms").number(12.3456, 2);
  w.key("rate").number(0.1);
  w.key("missing").null();
  w.key("counts").beginArray().number(1).number(-2).beginArray().endArray().endArray();
  w.key("nested").beginObject();
  w.key("empty").beginObject().endObject();
  w.key("list").beginArray().beginObject().key("x").number(uint64_t{3}).endObject().endArray();
  w.endObject();
  w.endObject();
}

TEST(JsonWriterTest, PrettyLayout) {
  std::string out;
  JsonWriter w(&out, kPretty);
  writeSample(w);
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(out, R"({
  "name": "flood \"A\"",
  "ok": true,
  "p99_ms": 12.35,
  "rate": 0.1,
  "missing": null,
  "counts": [
    1,
    -2,
    []
  ],
  "nested": {
    "empty": {},
    "list": [
      {
        "x": 3
      }
    ]
  }
})");
}

TEST(JsonWriterTest, CompactLayout) {
  std::string out;
  JsonWriter w(&out, kCompact);
  writeSample(w);
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(out, R"({"name":"flood \"A\"","ok":true,"p99_ms":12.35,"rate":0.1,"missing":null,)"
                 R"("counts":[1,-2,[]],"nested":{"empty":{},"list":[{"x":3}]}})");
}

TEST(JsonWriterTest, ScalarDocumentsAndEmptyContainers) {
  for (auto options : {kPretty, kCompact}) {
    std::string a, b, c;
    JsonWriter(&a, options).number(42);
    JsonWriter(&b, options).beginArray().endArray();
    JsonWriter(&c, options).beginObject().endObject();
    EXPECT_EQ(a, "42");
    EXPECT_EQ(b, "[]");
    EXPECT_EQ(c, "{}");
  }
}

TEST(JsonWriterTest, EveryIntegerTypeAndNonFiniteNumbers) {
  std::string out;
  JsonWriter w(&out, kCompact);
  w.beginArray();
  w.number(int8_t{-8}).number(short{-16}).number(7).number(7u).number(-9L).number(9UL);
  w.number(-10LL).number(std::numeric_limits<int64_t>::min());
  w.number(std::numeric_limits<uint64_t>::max()).number(std::size_t{5});
  w.number(std::numeric_limits<double>::quiet_NaN())
      .number(-std::numeric_limits<double>::infinity(), 3)
      .number(-0.0);
  w.number(1e21).number(1e-7).number(2.0f);
  w.endArray();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(out,
            "[-8,-16,7,7,-9,9,-10,-9223372036854775808,18446744073709551615,5,null,null,0,"
            "1e+21,1e-7,2]");
}

TEST(JsonWriterTest, KeysAreEscaped) {
  std::string out;
  JsonWriter w(&out, kCompact);
  w.beginObject().key("a\tb\x01\xFF").number(1).endObject();
  EXPECT_EQ(out, "{\"a\\tb\\u0001\xEF\xBF\xBD\":1}");
}

TEST(JsonWriterTest, StreamOutputMatchesStringOutput) {
  std::string expected;
  std::ostringstream stream;
  {
    JsonWriter to_string(&expected, kPretty);
    JsonWriter to_stream(stream, kPretty);
    for (JsonWriter* w : {&to_string, &to_stream}) {
      w->beginArray();
      for (int i = 0; i < 5'000; ++i) {  // Well past the stream buffer size.
        w->beginObject().key("i").number(i).key("s").string("value").endObject();
      }
      w->endArray();
    }
    // The document completed, so the stream already has everything.
    EXPECT_EQ(stream.str(), expected);
  }
  EXPECT_GT(expected.size(), 100'000u);
}

TEST(JsonWriterTest, StreamIsFlushedOnDestructionEvenIfIncomplete) {
  std::ostringstream stream;
  {
    JsonWriter w(stream, kCompact);
    w.beginArray().number(1);
    w.flush();
    EXPECT_EQ(stream.str(), "[1");
    w.number(2);
    EXPECT_FALSE(w.complete());
  }
  EXPECT_EQ(stream.str(), "[1,2");
}

struct MisuseCase {
  const char* name;
  void (*write)(JsonWriter&);
  const char* error;
};

const MisuseCase kMisuse[] = {
    {"value without key", [](JsonWriter& w) { w.beginObject().number(1); }, "without a key"},
    {"key at top level", [](JsonWriter& w) { w.key("k"); }, "key outside an object"},
    {"key in array", [](JsonWriter& w) { w.beginArray().key("k"); }, "key outside an object"},
    {"two keys", [](JsonWriter& w) { w.beginObject().key("a").key("b"); }, "two keys"},
    {"end after key", [](JsonWriter& w) { w.beginObject().key("a").endObject(); }, "no value"},
    {"mismatched end", [](JsonWriter& w) { w.beginObject().endArray(); }, "endArray"},
    {"end of nothing", [](JsonWriter& w) { w.endObject(); }, "endObject"},
    {"second root", [](JsonWriter& w) { w.number(1).number(2); }, "second top-level"},
    {"second root container", [](JsonWriter& w) { w.beginArray().endArray().beginObject(); },
     "second top-level"},
};

TEST(JsonWriterTest, MisuseSetsStickyErrorAndStopsOutput) {
  for (const MisuseCase& c : kMisuse) {
    SCOPED_TRACE(c.name);
    std::string out;
    JsonWriter w(&out, kCompact);
    c.write(w);
    EXPECT_FALSE(w.ok());
    EXPECT_FALSE(w.complete());
    EXPECT_NE(w.error().find(c.error), std::string::npos) << w.error();
    const std::string first_error = w.error();
    const std::string before = out;
    w.endArray().endObject().beginObject().key("z").string("ignored").null();
    EXPECT_EQ(out, before);
    EXPECT_EQ(w.error(), first_error);  // Sticky: the first mistake is the one reported.
  }
}

TEST(JsonWriterTest, DepthIsBounded) {
  std::string out;
  JsonWriter w(&out, kCompact);
  for (std::size_t i = 0; i < JsonWriter::kMaxDepth; ++i) w.beginArray();
  EXPECT_TRUE(w.ok());
  w.beginArray();
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.error().find("deeper"), std::string::npos);
}

TEST(JsonWriterTest, IncompleteDocumentIsNotComplete) {
  std::string out;
  JsonWriter w(&out, kCompact);
  EXPECT_FALSE(w.complete());
  w.beginObject().key("a");
  EXPECT_FALSE(w.complete());
  w.number(1);
  EXPECT_FALSE(w.complete());
  w.endObject();
  EXPECT_TRUE(w.complete());
  EXPECT_TRUE(w.ok());
}

TEST(JsonWriterDeathTest, MisuseAbortsWhenAsked) {
  JsonWriterOptions strict = kCompact;
  strict.abort_on_misuse = true;
  std::string out;
  EXPECT_DEATH(
      {
        JsonWriter w(&out, strict);
        w.beginObject().number(1);
      },
      "JsonWriter misuse: a value inside an object without a key");
}

}  // namespace
}  // namespace ctplab::sim::results
