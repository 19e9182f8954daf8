// The capture marker of a lost connection (connection_marker.hpp): what a live session writes is
// what replay and `mde decode` read back, and no venue frame is taken for one.
#include <gtest/gtest.h>

#include <string_view>

#include "mde/feeds/capture/connection_marker.hpp"

namespace mde {
namespace {

TEST(ConnectionMarker, AFormattedMarkerReadsBackAsTheSameDisconnectedControl) {
  char buf[capture::kMarkerBytes];
  const std::size_t n = capture::format_disconnected_marker(buf, 4290, "connection lost at read");
  const std::string_view text(buf, n);
  EXPECT_EQ(text, "#mde:disconnected 4290 connection lost at read");
  ASSERT_TRUE(capture::is_marker(text));
  Event e{};
  ASSERT_TRUE(capture::parse_disconnected_marker(text, Venue::btse, e));
  EXPECT_EQ(e.header.kind, EventKind::control);
  EXPECT_EQ(e.header.venue, Venue::btse);
  EXPECT_EQ(e.header.instrument, kNoInstrument);
  EXPECT_EQ(e.control.type, ControlType::disconnected);
  EXPECT_EQ(e.control.error_code, 4290);
  EXPECT_EQ(e.control.message.view(), "connection lost at read");
}

TEST(ConnectionMarker, VenueFramesAndMalformedMarkersAreNotMarkers) {
  Event e{};
  for (std::string_view frame : {R"({"response_type":"CONNECTED"})", "pong", "", "[1]"}) {
    EXPECT_FALSE(capture::is_marker(frame)) << frame;
    EXPECT_FALSE(capture::parse_disconnected_marker(frame, Venue::coinone, e)) << frame;
  }
  EXPECT_FALSE(capture::parse_disconnected_marker("#mde:disconnected x", Venue::coinone, e));
  EXPECT_FALSE(capture::parse_disconnected_marker("#mde:other 1 y", Venue::coinone, e));
  EXPECT_FALSE(capture::parse_disconnected_marker("#mde:disconnected 70000 y", Venue::coinone, e));
}

TEST(ConnectionMarker, ATooSmallBufferWritesNothing) {
  char small[8];
  EXPECT_EQ(capture::format_disconnected_marker(small, 0, "x"), 0u);
}

}  // namespace
}  // namespace mde
