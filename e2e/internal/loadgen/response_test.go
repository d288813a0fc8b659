package loadgen

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
)

func TestResponseReader(t *testing.T) {
	big := strings.Repeat("x", 40<<10) // more than the first buffer
	tests := []struct {
		name string
		in   string
		want []Response
		err  error // after the answers in want
	}{
		{
			name: "Content-Length",
			in:   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"text\":\"Privacy\"}",
			want: []Response{{Status: 200, Body: []byte(`{"text":"Privacy"}`)}},
			err:  io.EOF,
		},
		{
			name: "two answers on one connection",
			in:   "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none" + "HTTP/1.1 401 Unauthorized\r\nContent-Length: 19\r\n\r\ninvalid signature\r\n",
			want: []Response{{Status: 200, Body: []byte("one")}, {Status: 401, Body: []byte("invalid signature\r\n")}},
			err:  io.EOF,
		},
		{
			name: "empty 200, as waardenbot answers a replay",
			in:   "HTTP/1.1 200 OK\r\nDate: Mon, 30 Nov 2026 02:44:09 GMT\r\nContent-Length: 0\r\n\r\n",
			want: []Response{{Status: 200, Body: []byte{}}},
			err:  io.EOF,
		},
		{
			name: "chunked, with an extension and a trailer",
			in:   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7;x=y\r\n{\"text\"\r\nb\r\n:\"Privacy\"}\r\n0\r\nX-Trailer: 1\r\n\r\n" + "HTTP/1.1 204 No Content\r\n\r\n",
			want: []Response{{Status: 200, Body: []byte(`{"text":"Privacy"}`)}, {Status: 204}},
			err:  io.EOF,
		},
		{
			name: "lower-case names and a reason phrase left out",
			in:   "HTTP/1.1 503\r\ncontent-length: 5\r\nconnection: close\r\n\r\nbusy\n",
			want: []Response{{Status: 503, Body: []byte("busy\n"), Close: true}},
			err:  io.EOF,
		},
		{
			name: "HTTP/1.0 closes unless kept alive",
			in:   "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na" + "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nb",
			want: []Response{{Status: 200, Body: []byte("a"), Close: true}, {Status: 200, Body: []byte("b")}},
			err:  io.EOF,
		},
		{
			name: "a body larger than the buffer",
			in:   "HTTP/1.1 200 OK\r\nContent-Length: 40960\r\n\r\n" + big + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
			want: []Response{{Status: 200, Body: []byte(big)}, {Status: 200, Body: []byte("ok")}},
			err:  io.EOF,
		},
		{name: "closed in the middle of the body", in: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nPriv", err: io.ErrUnexpectedEOF},
		{name: "closed in the middle of the headers", in: "HTTP/1.1 200 OK\r\nContent-Le", err: io.ErrUnexpectedEOF},
		{name: "no length", in: "HTTP/1.1 200 OK\r\n\r\nPrivacy", err: ErrNoLength},
		{name: "not HTTP", in: "SSH-2.0-OpenSSH_9.6\r\n\r\n", err: ErrMalformed},
		{name: "bad status", in: "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", err: ErrMalformed},
		{name: "bad length", in: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", err: ErrMalformed},
		{name: "two lengths", in: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", err: ErrMalformed},
		{name: "bad chunk size", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: ErrMalformed},
		{name: "chunk without its CRLF", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n", err: ErrMalformed},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte at a time", iotest.OneByteReader},
		{"half at a time", iotest.HalfReader},
	}
	for _, tc := range tests {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				rr := NewResponseReader(rd.wrap(strings.NewReader(tc.in)))
				for i, want := range tc.want {
					got, err := rr.Read()
					if err != nil {
						t.Fatalf("answer %d: %v", i, err)
					}
					if got.Status != want.Status || string(got.Body) != string(want.Body) || got.Close != want.Close {
						t.Fatalf("answer %d = status %d close %v body %.60q, want status %d close %v body %.60q",
							i, got.Status, got.Close, got.Body, want.Status, want.Close, want.Body)
					}
				}
				if _, err := rr.Read(); !errors.Is(err, tc.err) {
					t.Errorf("after %d answers: error %v, want %v", len(tc.want), err, tc.err)
				}
			})
		}
	}
}

// TestResponseReaderReadsNetHTTPAnswers reads what Go's own server sends
// on one kept-alive connection: a small answer (Content-Length set by
// net/http), a large one without Content-Length (chunked by net/http),
// and http.Error's answer.
func TestResponseReaderReadsNetHTTPAnswers(t *testing.T) {
	large := strings.Repeat("Privacy ", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small":
			w.Write([]byte(`{"text":"Privacy"}`))
		case "/large":
			w.Write([]byte(large))
		default:
			http.Error(w, "invalid signature", http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rr := NewResponseReader(conn)
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/small", 200, `{"text":"Privacy"}`},
		{"/large", 200, large},
		{"/other", 401, "invalid signature\n"},
		{"/small", 200, `{"text":"Privacy"}`},
	} {
		if _, err := io.WriteString(conn, "GET "+tc.path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		got, err := rr.Read()
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if got.Status != tc.status || string(got.Body) != tc.body || got.Close {
			t.Errorf("%s: status %d close %v body %.60q, want %d %.60q", tc.path, got.Status, got.Close, got.Body, tc.status, tc.body)
		}
	}
}

func TestReadingAnAnswerDoesNotAllocate(t *testing.T) {
	one := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"text\":\"Privacy\"}"
	r := strings.NewReader(strings.Repeat(one, 200))
	rr := NewResponseReader(r)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := rr.Read(); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Read allocates %.0f times per answer", n)
	}
}

func FuzzResponseReader(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nPrivacy"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nPrivacy\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 204 No Content\r\nConnection: keep-alive\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rr := NewResponseReader(strings.NewReader(string(in)))
		rr.maxBytes = 1 << 20
		for range 100 {
			r, err := rr.Read()
			if err != nil {
				return
			}
			if r.Status < 100 || r.Status > 999 || len(r.Body) > len(in) {
				t.Fatalf("status %d, body of %d bytes from %d bytes of input", r.Status, len(r.Body), len(in))
			}
		}
	})
}

// repeatReader reads the same bytes over and over.
type repeatReader struct {
	b []byte
	i int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.i:])
	r.i = (r.i + n) % len(r.b)
	return n, nil
}

func BenchmarkReadResponse(b *testing.B) {
	one := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Mon, 30 Nov 2026 02:44:09 GMT\r\nContent-Length: 1504\r\n\r\n" + strings.Repeat("x", 1504)
	rr := NewResponseReader(&repeatReader{b: []byte(one)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rr.Read(); err != nil {
			b.Fatal(err)
		}
	}
}
