package poll

import (
	"crypto/rand"
	"strings"
)

// idAlphabet has no characters that read alike (0 and o, 1, l and i), and
// only lower case, so an ID is easy to read aloud and to type.
const idAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewID returns a random poll ID of n characters from an alphabet without
// characters that read alike.
func NewID(n int) string {
	buf := make([]byte, n)
	rand.Read(buf) // never fails (crypto/rand documents it)
	for i, c := range buf {
		buf[i] = idAlphabet[int(c)%len(idAlphabet)]
	}
	return string(buf)
}

// NormalizeID reads a poll ID as typed: case and quotes around it do not
// matter.
func NormalizeID(s string) string { return strings.ToLower(strings.Trim(s, "`'\"")) }
