# The front door: everything here drives CMake (and ctest) in $(BUILD).
#   make / make build   install missing tools, configure, build ws2_32.dll, the tests, the demo
#   make deps           install missing tools (Debian 12 packages; needs root if any are missing)
#   make demo           build, then run the demo programs under Wine on OpenWS2's ws2_32.dll
#   make check          build, then run the test suite under Wine
#   make clean          remove $(BUILD)
# Another build directory: make check BUILD=build-debug

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
TEST_JOBS ?= 2

.PHONY: all deps build demo check clean

all: build

deps:
	sh tools/install-deps.sh

build: deps
	cmake -S . -B $(BUILD)
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	sh demo/run-demo.sh $(BUILD)

# ctest prints its own summary (passed/failed counts and the names of failed tests); its exit
# status is the target's.
check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(TEST_JOBS)

clean:
	rm -rf $(BUILD)
