package slack

import (
	"errors"
	"io"
	"net/http"
	"sync"
)

// maxBody is the largest request body the HTTP endpoints read. Slack's own
// payloads are far smaller.
const maxBody = 1 << 20

// errTooLarge is readBody's error for a body beyond maxBody.
var errTooLarge = errors.New("request body larger than 1 MB")

// bodies lends the buffers that request bodies are read into, so that a
// request allocates none: Slack's bodies take 0.5 to a few KB.
type bodies struct{ pool sync.Pool } // of *[]byte

// keptBuffer is the largest buffer that goes back to the pool; a larger
// one, for a rare large body, is left to the garbage collector.
const keptBuffer = 64 << 10

func (b *bodies) get() *[]byte {
	if p, ok := b.pool.Get().(*[]byte); ok {
		return p
	}
	buf := make([]byte, 0, 4<<10)
	return &buf
}

func (b *bodies) put(p *[]byte) {
	if cap(*p) <= keptBuffer {
		b.pool.Put(p)
	}
}

// readBody appends r's body to buf, up to maxBody bytes (errTooLarge
// beyond), as http.MaxBytesReader and io.ReadAll would, without
// allocating when buf has room.
func readBody(r *http.Request, buf []byte) ([]byte, error) {
	if r.ContentLength > maxBody {
		return buf, errTooLarge
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow
		}
		n, err := r.Body.Read(buf[len(buf):min(cap(buf), maxBody+1)])
		buf = buf[:len(buf)+n]
		switch {
		case len(buf) > maxBody:
			return buf, errTooLarge
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}
