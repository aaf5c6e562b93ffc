package server

import (
	"context"
	"testing"
)

// BenchmarkArgon2idHash is the cost of one password hash with the production
// parameters (m=19 MiB, t=2, p=1): what every login and reset pays once.
func BenchmarkArgon2idHash(b *testing.B) {
	h := newHasher()
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.hash(ctx, "Harbor-Lantern-58-Quiet"); err != nil {
			b.Fatal(err)
		}
	}
}
