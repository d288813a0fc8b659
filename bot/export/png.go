package export

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// encodePNG writes the raster as a PNG with a palette (colour type 3, 8
// bits a pixel, no filter, as the PNG specification advises for palette
// images), with text chunks (iTXt, UTF-8) after the header, so that the
// file says what it shows wherever it is saved. It is written here rather
// than with image/png, whose package init (it registers its decoder with
// package image) ran at every start of the bot and kept its code resident
// (see BENCHMARKS.md); compress/flate and hash/crc32, which it needs, are
// in the binary for other packages already. texts are keyword and text
// pairs.
func encodePNG(r *raster, texts [][2]string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(r.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(r.h))
	ihdr[8], ihdr[9] = 8, 3 // bit depth, colour type: palette; compression, filter, interlace 0
	chunk(&out, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(r.col.list))
	for _, c := range r.col.list {
		plte = append(plte, c.R, c.G, c.B)
	}
	chunk(&out, "PLTE", plte)
	for _, t := range texts {
		if t[1] != "" {
			chunk(&out, "iTXt", []byte(t[0]+"\x00\x00\x00\x00\x00"+t[1]))
		}
	}
	// IDAT: a zlib stream (RFC 1950) of the rows, each after a filter byte 0.
	var z bytes.Buffer
	z.Write([]byte{0x78, 0x9c})
	fw, err := flate.NewWriter(&z, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	sum := adler{a: 1}
	row := make([]byte, 1+r.w)
	for y := range r.h {
		copy(row[1:], r.pix[y*r.w:(y+1)*r.w])
		sum.write(row)
		if _, err := fw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	z.Write(binary.BigEndian.AppendUint32(nil, sum.b<<16|sum.a))
	chunk(&out, "IDAT", z.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// chunk writes one PNG chunk: length, type, data, CRC of type and data.
func chunk(w *bytes.Buffer, typ string, data []byte) {
	w.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	w.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}

// adler is the Adler-32 checksum that ends a zlib stream.
type adler struct{ a, b uint32 }

func (s *adler) write(p []byte) {
	const mod = 65521
	for len(p) > 0 {
		n := min(len(p), 5552) // the most bytes before the sums can overflow
		for _, c := range p[:n] {
			s.a += uint32(c)
			s.b += s.a
		}
		s.a %= mod
		s.b %= mod
		p = p[n:]
	}
}
