// Digit styles are drawn in a unit box (x right, y down, 0..1), then mapped to the canvas.
#include "strokes.h"

#include "engine/image/pen_raster.h"  // the one pen rasteriser, shared with the tests

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace handwriting {
namespace {

constexpr float kPi = 3.14159265f;
constexpr int kArcPoints = 28;
constexpr int kLinePoints = 8;

void arc(Stroke& s, float cx, float cy, float rx, float ry, float a0, float a1) {
  for (int i = 0; i <= kArcPoints; ++i) {
    const float a = (a0 + (a1 - a0) * i / kArcPoints) * kPi / 180;
    s.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
  }
}
void line(Stroke& s, Point a, Point b) {
  for (int i = 0; i <= kLinePoints; ++i) {
    const float t = float(i) / kLinePoints;
    s.push_back({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t});
  }
}
void line_to(Stroke& s, Point b) { line(s, s.back(), b); }
void cubic(Stroke& s, Point p0, Point p1, Point p2, Point p3) {
  for (int i = 0; i <= kArcPoints; ++i) {
    const float t = float(i) / kArcPoints, u = 1 - t;
    s.push_back({u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
                 u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y});
  }
}

using Shape = std::vector<Stroke>;

Shape shape_of(int label, int style) {
  Shape sh(1);
  sh.reserve(3);  // `a` must stay valid while second strokes are added
  Stroke& a = sh[0];
  switch (label) {
    case 0:
      if (style == 0) arc(a, 0.5f, 0.5f, 0.5f, 0.5f, -90, 270);
      else if (style == 1) arc(a, 0.5f, 0.5f, 0.5f, 0.5f, -70, -70 - 375);
      else { arc(a, 0.5f, 0.5f, 0.45f, 0.5f, -100, 250); line_to(a, {0.62f, 0.05f}); }
      break;
    case 1:
      if (style == 0) line(a, {0.5f, 0}, {0.5f, 1});
      else if (style == 3) { line(a, {0.35f, 0.1f}, {0.6f, 0}); cubic(a, a.back(), {0.55f, 0.4f}, {0.45f, 0.7f}, {0.4f, 1}); }
      else {
        line(a, {0.15f, 0.25f}, {0.55f, 0});
        line_to(a, {0.55f, 1});
        if (style == 2) { sh.emplace_back(); line(sh[1], {0.2f, 1}, {0.9f, 1}); }
      }
      break;
    case 2:
      if (style == 3) {  // a Z-like 2: flat top, straight diagonal
        a.push_back({0.05f, 0.1f});
        cubic(a, a.back(), {0.3f, -0.05f}, {0.95f, -0.05f}, {0.9f, 0.25f});
        line_to(a, {0.05f, 1.0f});
        line_to(a, {1.0f, 0.98f});
        break;
      }
      if (style == 4) {  // cursive: big loop at the bottom left, tail rising to the right
        arc(a, 0.5f, 0.28f, 0.45f, 0.28f, 195, 375);
        cubic(a, a.back(), {0.85f, 0.65f}, {0.25f, 0.75f}, {0.15f, 0.92f});
        arc(a, 0.3f, 0.82f, 0.17f, 0.17f, 140, -200);
        cubic(a, a.back(), {0.55f, 1.0f}, {0.8f, 0.9f}, {1.0f, 0.85f});
        break;
      }
      if (style == 2) {
        cubic(a, {0.05f, 0.2f}, {0.4f, -0.1f}, {1.05f, 0.05f}, {0.85f, 0.35f});
      } else {
        arc(a, 0.5f, 0.28f, 0.45f, 0.28f, 195, 375);
      }
      if (style == 1) {
        cubic(a, a.back(), {0.8f, 0.6f}, {0.3f, 0.8f}, {0.1f, 0.95f});
        arc(a, 0.22f, 0.86f, 0.12f, 0.12f, 150, -180);
        line_to(a, {1.0f, 0.97f});
      } else {
        cubic(a, a.back(), {0.8f, 0.6f}, {0.3f, 0.8f}, {0.0f, 1.0f});
        line_to(a, {1.0f, 1.0f});
      }
      break;
    case 3:
      if (style == 0) {
        arc(a, 0.5f, 0.26f, 0.42f, 0.26f, -160, 90);
        arc(a, 0.5f, 0.74f, 0.48f, 0.26f, -90, 155);
      } else {
        line(a, {0.05f, 0}, {0.95f, 0});
        line_to(a, {0.4f, 0.4f});
        arc(a, 0.5f, 0.7f, 0.48f, 0.3f, -100, 155);
      }
      break;
    case 4:
      sh.emplace_back();
      if (style == 2) {  // closed at the top, one stroke down, across, then the stem
        line(a, {0.62f, 0}, {0.02f, 0.64f});
        line_to(a, {0.98f, 0.64f});
        line(sh[1], {0.62f, 0}, {0.66f, 1});
      } else if (style == 3) {  // closed top drawn as a triangle with a stem from its apex
        line(a, {0.7f, 0.02f}, {0.05f, 0.6f});
        line_to(a, {0.95f, 0.6f});
        line_to(a, {0.7f, 0.02f});
        line(sh[1], {0.7f, 0.02f}, {0.7f, 1});
      } else if (style == 0) {
        line(a, {0.12f, 0}, {0.05f, 0.62f});
        line_to(a, {1.0f, 0.62f});
        line(sh[1], {0.75f, 0.05f}, {0.75f, 1});
      } else {
        line(a, {0.7f, 0}, {0.0f, 0.66f});
        line_to(a, {1.0f, 0.66f});
        line(sh[1], {0.7f, 0}, {0.7f, 1});
      }
      break;
    case 5:
      if (style == 0) {
        line(a, {0.15f, 0}, {0.1f, 0.45f});
        arc(a, 0.45f, 0.68f, 0.5f, 0.32f, -150, 150);
        sh.emplace_back();
        line(sh[1], {0.15f, 0}, {0.95f, 0});
      } else {
        line(a, {0.95f, 0}, {0.15f, 0});
        line_to(a, {0.1f, 0.45f});
        arc(a, 0.45f, 0.68f, 0.5f, 0.32f, -150, 150);
      }
      break;
    case 6:
      if (style == 0) {
        cubic(a, {0.8f, 0}, {0.3f, 0.1f}, {0.0f, 0.45f}, {0.05f, 0.72f});
        arc(a, 0.5f, 0.72f, 0.45f, 0.28f, 180, -180);
      } else if (style == 1) {
        line(a, {0.7f, 0}, {0.08f, 0.7f});
        arc(a, 0.5f, 0.72f, 0.42f, 0.28f, 180, -170);
      } else if (style == 3) {  // tiny loop at the foot of a long curved stem
        cubic(a, {0.85f, 0.0f}, {0.25f, 0.15f}, {0.05f, 0.55f}, {0.25f, 0.9f});
        arc(a, 0.45f, 0.86f, 0.22f, 0.13f, 160, -190);
      } else if (style == 4) {  // straight stem, loop a third of the height
        line(a, {0.75f, 0}, {0.15f, 0.75f});
        arc(a, 0.45f, 0.8f, 0.32f, 0.2f, 170, -180);
      } else {  // small loop low down
        cubic(a, {0.9f, 0.02f}, {0.2f, 0.1f}, {0.0f, 0.6f}, {0.15f, 0.85f});
        arc(a, 0.5f, 0.8f, 0.35f, 0.2f, 160, -190);
      }
      break;
    case 7:
      if (style == 2 || style == 4) line(a, {0, 0.15f}, {0, 0});
      else a.push_back({0, 0});
      line_to(a, {1, 0});
      if (style == 3) cubic(a, a.back(), {0.7f, 0.35f}, {0.45f, 0.6f}, {0.4f, 1});
      else line_to(a, {0.35f, 1});
      if (style == 1 || style == 4) { sh.emplace_back(); line(sh[1], {0.3f, 0.5f}, {0.9f, 0.5f}); }
      break;
    case 8:
      if (style == 0) {
        arc(a, 0.5f, 0.25f, 0.38f, 0.25f, -90, 270);
        sh.emplace_back();
        arc(sh[1], 0.5f, 0.73f, 0.48f, 0.27f, -90, 270);
      } else {
        for (int i = 0; i <= 64; ++i) {
          const float t = 2 * kPi * i / 64;
          a.push_back({0.5f + 0.45f * std::sin(2 * t) * (t < kPi ? 0.85f : 1.0f),
                       0.5f - 0.5f * std::cos(t)});
        }
      }
      break;
    case 9:
      if (style == 4) {  // open top: the loop starts top-left and stops short at the upper right
        arc(a, 0.5f, 0.28f, 0.45f, 0.28f, -125, -395);
        line_to(a, {0.93f, 1});
        break;
      }
      if (style == 5) {  // open top, curved tail
        arc(a, 0.5f, 0.3f, 0.42f, 0.3f, -140, -400);
        cubic(a, a.back(), {0.95f, 0.6f}, {0.7f, 0.95f}, {0.3f, 1.0f});
        break;
      }
      if (style == 2) arc(a, 0.5f, 0.28f, 0.45f, 0.28f, 10, -350);
      else if (style == 3) arc(a, 0.55f, 0.22f, 0.4f, 0.22f, 5, -355);  // small loop, long stem
      else arc(a, 0.5f, 0.28f, 0.45f, 0.28f, 0, 360);
      if (style == 1) cubic(a, a.back(), {0.95f, 0.8f}, {0.6f, 1.0f}, {0.2f, 0.95f});
      else line_to(a, {0.9f, 1});
      break;
  }
  return sh;
}

const int kStyles[10] = {3, 4, 3, 2, 2, 2, 3, 4, 2, 4};
// The hard set's styles: the ones above plus the strangers' troublesome shapes.
const int kHardStyles[10] = {3, 4, 5, 2, 4, 2, 5, 5, 2, 6};

}  // namespace

int style_count(int label, bool hard) { return (hard ? kHardStyles : kStyles)[label]; }

Digit make_digit(int label, nn::Rng& rng, bool hard) {
  Digit d;
  d.label = label;
  d.style = int(rng.uniform_int(style_count(label, hard)));
  const Shape shape = shape_of(label, d.style);
  // The hard set: very thin and very thick pens, small drawings anywhere on the canvas,
  // stronger slants both ways, more rotation, wider and narrower shapes.
  d.pen_width = hard ? std::vector<float>{3, 4, 6, 10, 16, 26, 34}[rng.uniform_int(7)]
                     : std::vector<float>{7, 10, 14, 18, 24}[rng.uniform_int(5)];
  const float height = hard ? rng.uniform(45, 250) : rng.uniform(110, 230);
  const float aspect = label == 1 ? rng.uniform(0.25f, hard ? 0.55f : 0.45f)
                                  : (hard ? rng.uniform(0.4f, 1.0f) : rng.uniform(0.5f, 0.85f));
  const float width = height * aspect;
  const float slant = hard ? rng.uniform(-0.3f, 0.6f) : rng.uniform(-0.15f, 0.4f);  // forward slant is the common one
  const float angle = hard ? rng.uniform(-0.22f, 0.22f) : rng.uniform(-0.12f, 0.12f);
  const float margin = d.pen_width;
  const float free_x = std::max(0.0f, kCanvas - 2 * margin - width - slant * height);
  const float free_y = std::max(0.0f, kCanvas - 2 * margin - height);
  const float left = margin + rng.uniform(0, free_x), top = margin + rng.uniform(0, free_y);
  // Smooth wobble: two low-frequency sinusoids per axis, phase along the stroke.
  float amp[4], freq[4], phase[4];
  for (int k = 0; k < 4; ++k) {
    amp[k] = rng.uniform(0.0f, hard ? 0.07f : 0.04f);
    freq[k] = rng.uniform(2.0f, 7.0f);
    phase[k] = rng.uniform(0.0f, 6.28f);
  }
  // Hard: top- or bottom-heavy, left- or right-heavy writing (a 9's head large or small, a
  // 4's bar high or low, a 6's loop tiny): the unit box is bent by a power on each axis.
  const float gamma_x = hard ? rng.uniform(0.75f, 1.35f) : 1.0f;
  const float gamma_y = hard ? rng.uniform(0.65f, 1.5f) : 1.0f;
  const float lift_x = hard ? 0.1f : 0.06f, lift_y = hard ? 0.08f : 0.05f;  // a later stroke's landing error
  const float c = std::cos(angle), s = std::sin(angle);
  for (const Stroke& unit : shape) {
    Stroke out;
    // Later strokes of a digit land a little off where they belong (pen lifted and put back).
    const bool later = &unit != &shape.front();
    const float off_x = later ? rng.uniform(-lift_x, lift_x) : 0.0f;
    const float off_y = later ? rng.uniform(-lift_y, lift_y) : 0.0f;
    for (size_t i = 0; i < unit.size(); ++i) {
      const float t = float(i) / std::max<size_t>(1, unit.size() - 1);
      const float bx = hard ? std::pow(std::clamp(unit[i].x, 0.0f, 1.0f), gamma_x) : unit[i].x;
      const float by = hard ? std::pow(std::clamp(unit[i].y, 0.0f, 1.0f), gamma_y) : unit[i].y;
      float ux = bx + off_x + amp[0] * std::sin(freq[0] * t + phase[0]) + amp[1] * std::sin(freq[1] * unit[i].y + phase[1]);
      float uy = by + off_y + amp[2] * std::sin(freq[2] * t + phase[2]) + amp[3] * std::sin(freq[3] * unit[i].x + phase[3]);
      float x = ux * width + slant * (1 - uy) * height, y = uy * height;
      // rotate about the box centre
      const float cx = 0.5f * width + 0.5f * slant * height, cy = 0.5f * height;
      const float rx = c * (x - cx) - s * (y - cy) + cx, ry = s * (x - cx) + c * (y - cy) + cy;
      out.push_back({std::clamp(left + rx, 0.0f, kCanvas - 1.0f), std::clamp(top + ry, 0.0f, kCanvas - 1.0f)});
    }
    d.strokes.push_back(out);
  }
  return d;
}

std::vector<uint8_t> render(const Digit& digit) {
  std::vector<uint8_t> ink(kCanvas * kCanvas, 0);
  for (const Stroke& s : digit.strokes) {
    std::vector<nn::image::PenPoint> points;
    for (const Point& p : s) points.push_back({p.x, p.y});
    nn::image::paint_stroke(ink, kCanvas, kCanvas, points, digit.pen_width);
  }
  return ink;
}

std::string to_json(const std::vector<Digit>& digits) {
  std::string out = "[\n";
  char buf[64];
  for (size_t k = 0; k < digits.size(); ++k) {
    out += "{\"label\":" + std::to_string(digits[k].label) + ",\"strokes\":[";
    for (size_t i = 0; i < digits[k].strokes.size(); ++i) {
      out += i ? ",[" : "[";
      const Stroke& s = digits[k].strokes[i];
      for (size_t j = 0; j < s.size(); ++j) {
        std::snprintf(buf, sizeof buf, "%s[%.1f,%.1f]", j ? "," : "", s[j].x, s[j].y);
        out += buf;
      }
      out += "]";
    }
    out += k + 1 < digits.size() ? "]},\n" : "]}\n";
  }
  return out + "]\n";
}

}  // namespace handwriting
