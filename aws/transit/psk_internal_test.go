package transit

import (
	"crypto/rand"
	"math/big"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// providerDefaultSpecials are the random provider's specials when
// overrideSpecial is not set.
const providerDefaultSpecials = "!@#$%&*()-_=+[]{}<>:?"

// alphabet is the set of characters the random provider draws from for
// these args, read the way the provider reads them (unset means true).
func alphabet(t *testing.T, a random.RandomPasswordArgs) string {
	t.Helper()
	on := func(in pulumi.BoolPtrInput) bool {
		if in == nil {
			return true
		}
		b, ok := in.(pulumi.Bool)
		if !ok {
			t.Fatalf("expected a plain pulumi.Bool, got %T", in)
		}
		return bool(b)
	}
	var s string
	if on(a.Upper) {
		s += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	}
	if on(a.Lower) {
		s += "abcdefghijklmnopqrstuvwxyz"
	}
	if on(a.Numeric) {
		s += "0123456789"
	}
	if on(a.Special) {
		if o, ok := a.OverrideSpecial.(pulumi.String); ok {
			s += string(o)
		} else {
			s += providerDefaultSpecials
		}
	}
	return s
}

func length(t *testing.T, a random.RandomPasswordArgs) int {
	t.Helper()
	n, ok := a.Length.(pulumi.Int)
	if !ok {
		t.Fatalf("expected a plain pulumi.Int length, got %T", a.Length)
	}
	return int(n)
}

// draw picks n characters uniformly from alphabet with crypto/rand, as the
// random provider does.
func draw(t *testing.T, alphabet string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteByte(alphabet[k.Int64()])
	}
	return b.String()
}

func TestPresharedKeyPartsUseAWSCharacters(t *testing.T) {
	t.Parallel()
	parts := pskParts()
	if len(parts) != 2 || parts[0].suffix != "lead" || parts[1].suffix != "body" {
		t.Fatalf("want a lead and a body, got %+v", parts)
	}
	lead, body := alphabet(t, parts[0].args), alphabet(t, parts[1].args)
	if strings.ContainsAny(lead, pskDigits+pskSpecials) || len(lead) != 52 {
		t.Errorf("lead alphabet %q: want the 52 letters only, so a key never starts with 0", lead)
	}
	for _, c := range body {
		if !strings.ContainsRune(pskLetters+pskDigits+pskSpecials, c) {
			t.Errorf("body alphabet has %q, which AWS rejects", c)
		}
	}
	if len(body) != 64 {
		t.Errorf("body alphabet %q has %d characters, want all 64 AWS accepts", body, len(body))
	}
	total := length(t, parts[0].args) + length(t, parts[1].args)
	if total != pskLength || total < pskMinLength || total > pskMaxLength {
		t.Errorf("key length %d, want %d within %d-%d", total, pskLength, pskMinLength, pskMaxLength)
	}
}

// Keys drawn the way the provider draws them always pass AWS's rules,
// while the body's alphabet alone soon yields a key AWS would reject: the
// letter lead is what keeps a key from starting with 0.
func TestGeneratedPresharedKeys(t *testing.T) {
	t.Parallel()
	parts := pskParts()
	lead, body := alphabet(t, parts[0].args), alphabet(t, parts[1].args)
	const keys = 2000
	for i := 0; i < keys; i++ {
		k := draw(t, lead, length(t, parts[0].args)) + draw(t, body, length(t, parts[1].args))
		if err := CheckPresharedKey(k); err != nil {
			t.Fatalf("generated key %d: %v", i, err)
		}
	}
	// Without the lead, 1 key in 64 starts with 0; 10000 tries miss one
	// with probability (63/64)^10000, about 1e-68.
	found := false
	for i := 0; i < 10000 && !found; i++ {
		k := draw(t, body, pskLength)
		if k[0] == '0' {
			found = true
			if err := CheckPresharedKey(k); err == nil || !strings.Contains(err.Error(), "starts with 0") {
				t.Errorf("a key starting with 0 passed: %v", err)
			}
		}
	}
	if !found {
		t.Error("no key from the body alphabet started with 0 in 10000 tries")
	}
}
