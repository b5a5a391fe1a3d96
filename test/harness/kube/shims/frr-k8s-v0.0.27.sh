#!/usr/bin/env bash
# Makes a stand-in for github.com/metallb/frr-k8s v0.0.27, which MetalLB v0.16.2 requires but the Go
# module proxy refuses ("403 Forbidden: This module version is not available"), from v0.0.26 (which
# it serves) plus the one API addition MetalLB v0.16.2 compiles against: BGP AS-path prepending
# (Advertise.PrefixesWithAsPathPrepend and type AsPathPrependPrefixes, the shape MetalLB's
# internal/bgp/frrk8s uses). That package only renders the speaker's FRRConfiguration; the
# controller's IP allocation code is v0.16.2's own, unchanged.
# Usage: frr-k8s-v0.0.27.sh <dest dir>   (prints nothing on success)
set -euo pipefail
dest="$1"
base="$(go mod download -json github.com/metallb/frr-k8s@v0.0.26 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')"
rm -rf "$dest"; cp -r "$base" "$dest"; chmod -R u+w "$dest"
types="$dest/api/v1beta1/frrconfiguration_types.go"
grep -q 'PrefixesWithCommunity \[\]CommunityPrefixes' "$types" || { echo "frr-k8s v0.0.26 changed shape: $types" >&2; exit 1; }
# The new Advertise field, right after PrefixesWithCommunity (the struct's last field).
sed -i 's|^\(\tPrefixesWithCommunity \[\]CommunityPrefixes `json:"withCommunity,omitempty"`\)$|\1\n\t// PrefixesWithAsPathPrepend: added by lbguard'"'"'s stand-in for v0.0.27 (see the header of shims/frr-k8s-v0.0.27.sh).\n\t// +optional\n\tPrefixesWithAsPathPrepend []AsPathPrependPrefixes `json:"withAsPathPrepend,omitempty"`|' "$types"
grep -q 'PrefixesWithAsPathPrepend' "$types" || { echo "could not add PrefixesWithAsPathPrepend to $types" >&2; exit 1; }
cat >"$dest/api/v1beta1/aspathprepend_lbguard.go" <<'GO'
package v1beta1

// AsPathPrependPrefixes: prefixes advertised with the local AS prepended AsPathPrepend times.
// Added by lbguard's stand-in for frr-k8s v0.0.27 (test/harness/kube/shims/frr-k8s-v0.0.27.sh).
type AsPathPrependPrefixes struct {
	Prefixes      []string `json:"prefixes,omitempty"`
	AsPathPrepend uint8    `json:"asPathPrepend,omitempty"`
}

// DeepCopyInto copies the prefixes too (controller-gen would generate this).
func (in *AsPathPrependPrefixes) DeepCopyInto(out *AsPathPrependPrefixes) {
	*out = *in
	if in.Prefixes != nil {
		out.Prefixes = append([]string(nil), in.Prefixes...)
	}
}
GO
# The module path stays github.com/metallb/frr-k8s: the consumer points a replace directive here.
