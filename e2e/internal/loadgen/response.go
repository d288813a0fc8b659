package loadgen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Response is one HTTP answer read by a ResponseReader. Body is valid
// until the next Read.
type Response struct {
	Status int
	Body   []byte
	// Close is set when the server said it closes the connection after
	// this answer (Connection: close, or HTTP/1.0 without keep-alive).
	Close bool
}

// ResponseReader reads HTTP/1.1 answers from a kept-alive connection, one
// after the other: as much of HTTP as a Go net/http server's answers to
// requests without Expect: 100-continue need. The body has a
// Content-Length or is chunked (net/http chunks an answer of more than
// 2 KB that has no Content-Length); 1xx, 204 and 304 answers have none.
// It allocates only to grow its buffer.
type ResponseReader struct {
	r        io.Reader
	buf      []byte // buf[start:end] has been read and not yet consumed
	start    int
	end      int
	chunked  []byte // a chunked body, joined
	maxBytes int
}

// Errors of ResponseReader.Read besides those of the connection.
var (
	ErrMalformed = errors.New("malformed HTTP response")
	ErrNoLength  = errors.New("HTTP response without Content-Length or chunked body")
	ErrTooLarge  = errors.New("HTTP response too large")
)

// NewResponseReader reads answers from r; no answer may be larger than
// 8 MB, headers included.
func NewResponseReader(r io.Reader) *ResponseReader {
	return &ResponseReader{r: r, buf: make([]byte, 16<<10), maxBytes: 8 << 20}
}

var crlf = []byte("\r\n")

// Read reads the next answer.
func (rr *ResponseReader) Read() (Response, error) {
	// What is left of the last read moves to the front, so that offsets
	// in this answer stay valid while the buffer grows.
	if rr.start > 0 {
		rr.end = copy(rr.buf, rr.buf[rr.start:rr.end])
		rr.start = 0
	}
	headEnd, err := rr.find([]byte("\r\n\r\n"), 0)
	if err != nil {
		if err == io.ErrUnexpectedEOF && rr.end == 0 {
			err = io.EOF // closed between answers
		}
		return Response{}, err
	}
	var resp Response
	head := rr.buf[:headEnd]
	line, rest, _ := bytes.Cut(head, crlf)
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return resp, fmt.Errorf("%w: status line %.40q", ErrMalformed, line)
	}
	resp.Status, err = strconv.Atoi(string(line[9:12]))
	if err != nil || resp.Status < 100 || (len(line) > 12 && line[12] != ' ') {
		return resp, fmt.Errorf("%w: status line %.40q", ErrMalformed, line)
	}
	http10 := line[7] == '0'
	resp.Close = http10
	length, chunked := -1, false
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, crlf)
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return resp, fmt.Errorf("%w: header line %.40q", ErrMalformed, line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.Atoi(string(value))
			if err != nil || n < 0 || (length >= 0 && n != length) {
				return resp, fmt.Errorf("%w: Content-Length %.40q", ErrMalformed, value)
			}
			length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
			if !chunked {
				return resp, fmt.Errorf("%w: Transfer-Encoding %.40q", ErrMalformed, value)
			}
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				resp.Close = true
			} else if http10 && bytes.EqualFold(value, []byte("keep-alive")) {
				resp.Close = false
			}
		}
	}
	bodyAt := headEnd + 4
	switch {
	case resp.Status < 200 || resp.Status == 204 || resp.Status == 304:
		rr.start = bodyAt
	case chunked:
		if rr.start, err = rr.readChunks(bodyAt); err != nil {
			return resp, err
		}
		resp.Body = rr.chunked
	case length >= 0:
		if bodyAt+length > rr.maxBytes {
			return resp, ErrTooLarge
		}
		for rr.end < bodyAt+length {
			if err := rr.fill(); err != nil {
				return resp, err
			}
		}
		resp.Body = rr.buf[bodyAt : bodyAt+length]
		rr.start = bodyAt + length
	default:
		return resp, ErrNoLength
	}
	return resp, nil
}

// readChunks joins the chunked body that starts at offset at into
// rr.chunked and returns the offset after it.
func (rr *ResponseReader) readChunks(at int) (int, error) {
	rr.chunked = rr.chunked[:0]
	for {
		eol, err := rr.find(crlf, at)
		if err != nil {
			return 0, err
		}
		sizeText, _, _ := bytes.Cut(rr.buf[at:eol], []byte(";")) // no extensions wanted
		size, err := strconv.ParseUint(string(bytes.TrimSpace(sizeText)), 16, 31)
		if err != nil {
			return 0, fmt.Errorf("%w: chunk size %.40q", ErrMalformed, rr.buf[at:eol])
		}
		at = eol + 2
		if size == 0 {
			// Trailers, if any, up to an empty line.
			for {
				eol, err := rr.find(crlf, at)
				if err != nil {
					return 0, err
				}
				empty := eol == at
				at = eol + 2
				if empty {
					return at, nil
				}
			}
		}
		n := int(size)
		if at+n+2 > rr.maxBytes || len(rr.chunked)+n > rr.maxBytes {
			return 0, ErrTooLarge
		}
		for rr.end < at+n+2 {
			if err := rr.fill(); err != nil {
				return 0, err
			}
		}
		if !bytes.Equal(rr.buf[at+n:at+n+2], crlf) {
			return 0, fmt.Errorf("%w: chunk not followed by CRLF", ErrMalformed)
		}
		rr.chunked = append(rr.chunked, rr.buf[at:at+n]...)
		at += n + 2
	}
}

// find returns the offset of the first sep in rr.buf at or after from,
// reading more as needed.
func (rr *ResponseReader) find(sep []byte, from int) (int, error) {
	searched := from
	for {
		if i := bytes.Index(rr.buf[searched:rr.end], sep); i >= 0 {
			return searched + i, nil
		}
		searched = max(from, rr.end-len(sep)+1)
		if err := rr.fill(); err != nil {
			return 0, err
		}
	}
}

// fill reads more into the buffer, growing it when it is full. A
// connection that ends here ends in the middle of an answer.
func (rr *ResponseReader) fill() error {
	if rr.end == len(rr.buf) {
		if len(rr.buf) >= rr.maxBytes {
			return ErrTooLarge
		}
		rr.buf = append(rr.buf, make([]byte, len(rr.buf))...)
	}
	for {
		n, err := rr.r.Read(rr.buf[rr.end:])
		rr.end += n
		if n > 0 {
			return nil
		}
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
	}
}
