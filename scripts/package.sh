#!/usr/bin/env bash
# Builds a Debian package of tcplab with dpkg-deb(1): install it with `apt install ./tcplab_*.deb`.
#
#   scripts/package.sh [--out DIR] [--version VERSION]
#
# The package holds:
#   /usr/bin/tcplab                         the release binary, Swift's runtime linked in statically
#   /usr/share/tcplab/captures/...          the reference recordings (--replay) and the golden captures
#   /usr/share/tcplab/Labs/...              the lab sheets and their answer keys
#   /usr/share/man/man1/tcplab.1.gz         the man page, by generate-manual (the tool of swift-argument-parser's plugin)
#   bash, zsh and fish completions          from `tcplab --generate-completion-script SHELL`
#   /usr/share/doc/tcplab/                  README and copyright
# The binary is built once (`swift build -c release --static-swift-stdlib`, in .build-package/ so a
# `swift test` holding .build/ does not block it); the man page and the completions are made from
# that same build. Depends: is what the binary needs at run time (its NEEDED libraries, as
# dpkg-shlibdeps maps them to Debian packages and versions). Prints the .deb's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

out=$root/.build-package
version=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$(realpath -m "$2"); shift 2 ;;
        --version) version=$2; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "package.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

# dpkg-shlibdeps (dpkg-dev) reads the binary's NEEDED libraries with objdump (binutils).
for tool in dpkg-deb dpkg-shlibdeps objdump gzip git; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        case "$tool" in
            dpkg-shlibdeps) echo "package.sh: dpkg-shlibdeps is missing (apt-get install dpkg-dev, or scripts/setup.sh --tests)" >&2 ;;
            objdump) echo "package.sh: objdump is missing (apt-get install binutils)" >&2 ;;
            *) echo "package.sh: $tool is missing" >&2 ;;
        esac
        exit 1
    fi
done

scratch=$root/.build-package/swiftpm
arch=$(dpkg --print-architecture)
if [ -z "$version" ]; then
    # 0.1.0 plus the commit (Debian's ~ sorts before the release): 0.1.0~git20250101.abc1234.
    if commit=$(git -C "$root" log -1 --format='%cd.%h' --date=format:%Y%m%d 2>/dev/null); then
        version="0.1.0~git$commit"
    else
        version="0.1.0"
    fi
fi

echo "package.sh: building the release binary (swift build -c release --static-swift-stdlib)" >&2
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product tcplab >&2
binary=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/tcplab

stage=$(mktemp -d "${TMPDIR:-/tmp}/tcplab-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
tree=$stage/tcplab

install -D -m 0755 "$binary" "$tree/usr/bin/tcplab"
strip --strip-unneeded "$tree/usr/bin/tcplab" 2>/dev/null || true

# The recordings replay and exercise find (PackageData: /usr/bin/tcplab -> /usr/share/tcplab),
# the golden captures `tcplab decode` is checked against, and the lab sheets.
share=$tree/usr/share/tcplab
mkdir -p "$share/captures"
git -C "$root" ls-files -z captures Labs | while IFS= read -r -d '' file; do
    install -D -m 0644 "$root/$file" "$share/$file"
done

# The man page: generate-manual, the tool swift-argument-parser's generate-manual plugin runs, run
# here over the binary just built. `swift package generate-manual` would build every product again
# in release mode without --static-swift-stdlib (another build plan: minutes, and a dynamically
# linked tcplab in place of the static one).
# Dated by the commit, so the same commit gives the same page.
manual_date=$(git -C "$root" log -1 --format=%cd --date=format:%Y-%m-%d 2>/dev/null || date +%Y-%m-%d)
# Same flags as the binary's build, so the two share one build plan (other flags rebuild ArgumentParser).
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product generate-manual >&2
generate_manual=$(dirname "$binary")/generate-manual
manual=$stage/manual
mkdir -p "$manual"
"$generate_manual" "$tree/usr/bin/tcplab" --date "$manual_date" --section 1 --output-directory "$manual" >&2
mkdir -p "$tree/usr/share/man/man1"
gzip -9n <"$manual/tcplab.1" >"$tree/usr/share/man/man1/tcplab.1.gz"

# Completions where each shell looks for them (bash-completion, zsh's site-functions, fish's vendor dir).
install -d "$tree/usr/share/bash-completion/completions" "$tree/usr/share/zsh/vendor-completions" \
    "$tree/usr/share/fish/vendor_completions.d"
"$tree/usr/bin/tcplab" --generate-completion-script bash >"$tree/usr/share/bash-completion/completions/tcplab"
"$tree/usr/bin/tcplab" --generate-completion-script zsh >"$tree/usr/share/zsh/vendor-completions/_tcplab"
"$tree/usr/bin/tcplab" --generate-completion-script fish >"$tree/usr/share/fish/vendor_completions.d/tcplab.fish"

install -D -m 0644 "$root/README.md" "$tree/usr/share/doc/tcplab/README.md"
cat >"$tree/usr/share/doc/tcplab/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tcplab
Comment: Built from the tcplab sources by scripts/package.sh; statically linked with the Swift
 runtime and swift-argument-parser (Apache License 2.0 with Runtime Library Exception).
EOF

# Depends: the shared libraries the binary needs (its NEEDED entries), as dpkg-shlibdeps maps
# them to packages and versions (libpcap0.8, libc6, libstdc++6, ...).
mkdir -p "$stage/shlibs/debian"
: >"$stage/shlibs/debian/control"
depends=$(cd "$stage/shlibs" && dpkg-shlibdeps -O -e"$tree/usr/bin/tcplab" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies for the binary" >&2; exit 1; }

# Who answers for the package: $DEBFULLNAME <$DEBEMAIL> as dch(1) reads them, else the project's
# own name (not the last commit's author, whose name means nothing to a class).
maintainer="tcplab maintainers <tcplab@localhost>"
if [ -n "${DEBFULLNAME:-}" ] && [ -n "${DEBEMAIL:-}" ]; then
    maintainer="$DEBFULLNAME <$DEBEMAIL>"
fi

installed_size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
mkdir -p "$tree/DEBIAN"
cat >"$tree/DEBIAN/control" <<EOF
Package: tcplab
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: tcpdump, iproute2
Section: net
Priority: optional
Description: TCP behaviour lab: real sockets, live capture, checked claims
 tcplab runs small TCP scenarios (broken pipe, close states, zombies, backlog,
 Nagle, ...) with a real server and client, captures their segments with
 libpcap, reads the socket states from /proc/net/tcp, and checks teaching
 claims against what was observed. Recorded runs replay without privileges;
 live runs need root or user namespaces. Lab sheets are in /usr/share/tcplab/Labs.
EOF

mkdir -p "$out"
deb=$out/tcplab_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$tree" "$deb" >&2
echo "$deb"
