# Builds and installs img-authz as a Docker managed plugin.
#
#   make build                       # plugin/build/{config.json,rootfs/}
#   make local_install REGISTRY=localhost:5000 \
#        NOTARY=https://localhost:4443 NOTARY_ROOT_CA="$(cat ca.crt)"
#   make push PLUGIN_NAME=localhost:5000/img-authz
#
# DOCKER is the client command, so that a test can pass `docker -H unix://...`.
# The plugin tag carries the architecture (`0.1.0-amd64`) because the rootfs
# holds a native Node binary.

PLUGIN_NAME ?= img-authz
PLUGIN_TAG ?= $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' package.json)
ARCH := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
PLUGIN_REF := $(PLUGIN_NAME):$(PLUGIN_TAG)-$(ARCH)
DOCKER ?= docker
BUILD_DIR ?= plugin/build

# Settings for local_install; empty values keep the plugin's defaults.
REGISTRY ?=
NOTARY ?=
NOTARY_ROOT_CA ?=
# Host paths for the plugin's mounts (defaults /var/run/docker.sock and
# /var/lib/img-authz).
DOCKER_SOCKET ?=
STATE_SOURCE ?=

.PHONY: all build rootfs create enable disable local_install push clean

all: build

# Compiles the TypeScript sources and assembles the plugin directory.
build:
	npm run build
	bash scripts/build-rootfs.sh $(BUILD_DIR)

# Creates the plugin on the daemon from the plugin directory, replacing a
# disabled plugin of the same name.
create: build
	-$(DOCKER) plugin rm $(PLUGIN_REF) 2>/dev/null
	$(DOCKER) plugin create $(PLUGIN_REF) $(BUILD_DIR)

enable:
	$(DOCKER) plugin enable $(PLUGIN_REF)

disable:
	$(DOCKER) plugin disable $(PLUGIN_REF)

# NOTARY_ROOT_CA spans several lines, so the recipe reads it from the
# environment (make exports command-line variables) instead of expanding it.
local_install: create
	@test -n "$(REGISTRY)" || { echo "set REGISTRY=host[:port]" >&2; exit 2; }
	@test -n "$(NOTARY)" || { echo "set NOTARY=https://host[:port]" >&2; exit 2; }
	$(DOCKER) plugin set $(PLUGIN_REF) REGISTRY="$$REGISTRY" NOTARY="$$NOTARY" \
		NOTARY_ROOT_CA="$$NOTARY_ROOT_CA"
	@if [ -n "$(DOCKER_SOCKET)" ]; then \
		echo "$(DOCKER) plugin set $(PLUGIN_REF) docker-socket.source=$(DOCKER_SOCKET)"; \
		$(DOCKER) plugin set $(PLUGIN_REF) docker-socket.source="$(DOCKER_SOCKET)"; \
	fi
	@state="$(STATE_SOURCE)"; state="$${state:-/var/lib/img-authz}"; \
		mkdir -p -m 0700 "$$state"; \
		echo "$(DOCKER) plugin set $(PLUGIN_REF) state.source=$$state"; \
		$(DOCKER) plugin set $(PLUGIN_REF) state.source="$$state"
	$(DOCKER) plugin enable $(PLUGIN_REF)
	@echo "installed $(PLUGIN_REF); add it to \"authorization-plugins\" in daemon.json and send dockerd SIGHUP"

push: create
	$(DOCKER) plugin push $(PLUGIN_REF)

clean:
	rm -rf $(BUILD_DIR)
