// check_safe_name: plain names pass; every way out of a shared folder is refused with its own reason.
#include "common/content/safe_name.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::content {
namespace {

// The reason a name is refused, or "" if it passes.
std::string refusal(std::string_view name) {
  Status s = check_safe_name(name);
  return s.ok() ? "" : s.reason();
}

TEST(SafeNameTest, AcceptsPlainNames) {
  EXPECT_EQ(refusal("blue_river_song_17.mp3"), "");
  EXPECT_EQ(refusal("Song With Spaces (live).ogg"), "");
  EXPECT_EQ(refusal("...hidden"), "");        // dots inside a name are fine
  EXPECT_EQ(refusal("caf\xc3\xa9.mp3"), "");  // UTF-8 bytes are not control characters
  EXPECT_EQ(refusal(std::string(kMaxNameBytes, 'a')), "");
}

TEST(SafeNameTest, RefusesEmptyAndDirectoryNames) {
  EXPECT_EQ(refusal(""), "file name is empty");
  EXPECT_EQ(refusal("."), "file name '.' names a directory");
  EXPECT_EQ(refusal(".."), "file name '..' names a directory");
}

TEST(SafeNameTest, RefusesAbsolutePathsAndSeparators) {
  EXPECT_EQ(refusal("/etc/passwd"), "file name is an absolute path");
  EXPECT_EQ(refusal("../secret"), "file name contains a path separator");
  EXPECT_EQ(refusal("music/song.mp3"), "file name contains a path separator");
  EXPECT_EQ(refusal("..\\windows\\win.ini"), "file name contains a path separator");
}

TEST(SafeNameTest, RefusesNulAndControlCharacters) {
  EXPECT_EQ(refusal(std::string_view("song.mp3\0.exe", 13)), "file name contains a NUL byte");
  EXPECT_EQ(refusal("line\nbreak"), "file name contains a control character");
  EXPECT_EQ(refusal("tab\there"), "file name contains a control character");
  EXPECT_EQ(refusal("del\x7f"), "file name contains a control character");
}

TEST(SafeNameTest, RefusesNamesOverTheLimit) {
  EXPECT_EQ(refusal(std::string(kMaxNameBytes + 1, 'a')), "file name is 256 bytes, over the limit of 255");
}

}  // namespace
}  // namespace p2p::content
