// nbody-cpp: the nbody task written the way C++ code usually is: a small vector class with
// operators, a Body class and a System class that owns the bodies, output through iostream.
// It measures what abstraction (inlined operators, libc++ startup and iostream code) costs
// once compiled to wasm, and gives AOT compilers a much larger module than nbody.
#include <array>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>

namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kSolarMass = 4 * kPi * kPi;
constexpr double kDaysPerYear = 365.24;

class Vec3 {
 public:
  constexpr Vec3(double x = 0, double y = 0, double z = 0) : x_(x), y_(y), z_(z) {}
  Vec3 operator+(const Vec3 &o) const { return {x_ + o.x_, y_ + o.y_, z_ + o.z_}; }
  Vec3 operator-(const Vec3 &o) const { return {x_ - o.x_, y_ - o.y_, z_ - o.z_}; }
  Vec3 operator*(double s) const { return {x_ * s, y_ * s, z_ * s}; }
  Vec3 &operator+=(const Vec3 &o) { return *this = *this + o; }
  Vec3 &operator-=(const Vec3 &o) { return *this = *this - o; }
  double dot(const Vec3 &o) const { return x_ * o.x_ + y_ * o.y_ + z_ * o.z_; }

 private:
  double x_, y_, z_;
};

class Body {
 public:
  // Velocities in the task description are per day; the simulation runs in years.
  constexpr Body(Vec3 position, Vec3 velocity_per_day, double solar_masses)
      : position_(position), velocity_(velocity_per_day * kDaysPerYear),
        mass_(solar_masses * kSolarMass) {}
  const Vec3 &position() const { return position_; }
  const Vec3 &velocity() const { return velocity_; }
  double mass() const { return mass_; }
  Vec3 momentum() const { return velocity_ * mass_; }
  double kinetic_energy() const { return 0.5 * mass_ * velocity_.dot(velocity_); }
  void accelerate(const Vec3 &delta) { velocity_ += delta; }
  void set_velocity(const Vec3 &v) { velocity_ = v; }
  void move(double dt) { position_ += velocity_ * dt; }

 private:
  Vec3 position_, velocity_;
  double mass_;
};

class System {
 public:
  System()
      : bodies_{{
            Body({0, 0, 0}, {0, 0, 0}, 1),  // Sun
            Body({4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01},
                 {1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05},
                 9.54791938424326609e-04),  // Jupiter
            Body({8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01},
                 {-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05},
                 2.85885980666130812e-04),  // Saturn
            Body({1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01},
                 {2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05},
                 4.36624404335156298e-05),  // Uranus
            Body({1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01},
                 {2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05},
                 5.15138902046611451e-05),  // Neptune
        }} {
    offset_momentum();
  }

  double energy() const {
    double e = 0;
    for (size_t i = 0; i < bodies_.size(); i++) {
      e += bodies_[i].kinetic_energy();
      for (size_t j = i + 1; j < bodies_.size(); j++) {
        Vec3 d = bodies_[i].position() - bodies_[j].position();
        e -= bodies_[i].mass() * bodies_[j].mass() / std::sqrt(d.dot(d));
      }
    }
    return e;
  }

  void advance(double dt) {
    for (size_t i = 0; i < bodies_.size(); i++) {
      for (size_t j = i + 1; j < bodies_.size(); j++) {
        Vec3 d = bodies_[i].position() - bodies_[j].position();
        double distance_squared = d.dot(d);
        double magnitude = dt / (distance_squared * std::sqrt(distance_squared));
        bodies_[i].accelerate(d * (-bodies_[j].mass() * magnitude));
        bodies_[j].accelerate(d * (bodies_[i].mass() * magnitude));
      }
    }
    for (Body &b : bodies_) b.move(dt);
  }

 private:
  // The Sun absorbs the system's momentum so the centre of mass stays still.
  void offset_momentum() {
    Vec3 p;
    for (const Body &b : bodies_) p += b.momentum();
    bodies_[0].set_velocity(p * (-1 / bodies_[0].mass()));
  }

  std::array<Body, 5> bodies_;
};

}  // namespace

int main(int argc, char **argv) {
  long steps = argc > 1 ? std::atol(argv[1]) : 1000;
  System system;
  std::cout << std::fixed << std::setprecision(9) << system.energy() << '\n';
  for (long i = 0; i < steps; i++) system.advance(0.01);
  std::cout << system.energy() << '\n';
  return 0;
}
