package main

import (
	"bufio"
	"cmp"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// residence is which bytes of a binary's image a process holds in memory,
// by ELF section and, inside .text, .rodata and .data, by Go package.
type residence struct {
	sections []share
	packages []share
	total    int64
}

type share struct {
	name  string
	bytes int64
}

// resident reads /proc/PID/pagemap (needs root for file pages on some
// kernels) for every mapping of bin and attributes each resident page to
// the sections and symbols it holds.
func resident(pid int, bin string) (*residence, error) {
	pages, err := residentPages(pid, bin)
	if err != nil {
		return nil, err
	}
	f, err := elf.Open(bin)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, _ := f.Symbols() // none in a stripped binary: sections only
	syms = slices.DeleteFunc(syms, func(s elf.Symbol) bool { return s.Size == 0 || s.Value == 0 })
	slices.SortFunc(syms, func(a, b elf.Symbol) int { return cmp.Compare(a.Value, b.Value) })

	bySection, byPackage := map[string]int64{}, map[string]int64{}
	r := &residence{}
	for _, p := range pages {
		r.total += pageSize
		end := p + pageSize
		for _, s := range f.Sections {
			if s.Flags&elf.SHF_ALLOC == 0 || s.Addr == 0 {
				continue
			}
			if o := overlap(p, end, s.Addr, s.Addr+s.Size); o > 0 {
				bySection[s.Name] += o
			}
		}
		// Symbols overlapping the page: start at the last one that begins
		// before it.
		i, _ := slices.BinarySearchFunc(syms, p, func(s elf.Symbol, a uint64) int { return cmp.Compare(s.Value, a) })
		if i > 0 {
			i--
		}
		for ; i < len(syms) && syms[i].Value < end; i++ {
			if o := overlap(p, end, syms[i].Value, syms[i].Value+syms[i].Size); o > 0 {
				byPackage[packageOf(syms[i].Name)] += o
			}
		}
	}
	r.sections = sorted(bySection)
	r.packages = sorted(byPackage)
	return r, nil
}

const pageSize = 4096

func overlap(a0, a1, b0, b1 uint64) int64 {
	lo, hi := max(a0, b0), min(a1, b1)
	if hi <= lo {
		return 0
	}
	return int64(hi - lo)
}

func sorted(m map[string]int64) []share {
	var out []share
	for k, v := range m {
		out = append(out, share{k, v})
	}
	slices.SortFunc(out, func(a, b share) int { return cmp.Or(cmp.Compare(b.bytes, a.bytes), cmp.Compare(a.name, b.name)) })
	return out
}

// residentPages returns the addresses of the resident pages of the
// mappings of bin.
func residentPages(pid int, bin string) ([]uint64, error) {
	maps, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	defer maps.Close()
	pm, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		return nil, err
	}
	defer pm.Close()
	var out []uint64
	sc := bufio.NewScanner(maps)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[5] != bin {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("maps line %q", sc.Text())
		}
		n := (end - start) / pageSize
		buf := make([]byte, 8*n)
		if _, err := pm.ReadAt(buf, int64(start/pageSize*8)); err != nil && err != io.EOF {
			return nil, err
		}
		for i := range n {
			if binary.LittleEndian.Uint64(buf[8*i:])&(1<<63) != 0 {
				out = append(out, start+i*pageSize)
			}
		}
	}
	return out, sc.Err()
}

// packageOf returns the Go package of a symbol name such as
// "net/http.(*Transport).dialConn", "type:*net/http.Request" or
// "go:itab.*os.File,io.Writer"; "runtime" parts of the image (pclntab,
// type data without a package) keep their own names.
func packageOf(sym string) string {
	s, _, _ := strings.Cut(sym, "[") // type parameters name other packages
	for _, p := range []string{"type:", "go:itab.", "go:info.", "go:string.", "*"} {
		s = strings.TrimPrefix(s, p)
	}
	if strings.HasPrefix(s, "go:") || strings.HasPrefix(s, ".") || s == "" {
		return sym
	}
	slash := strings.LastIndex(s, "/")
	if i := strings.IndexAny(s[slash+1:], ".["); i >= 0 {
		s = s[:slash+1+i]
	}
	return s
}

// difference returns a − b per package, largest absolute differences first.
func difference(a, b []share) []share {
	d := map[string]int64{}
	for _, x := range a {
		d[x.name] += x.bytes
	}
	for _, x := range b {
		d[x.name] -= x.bytes
	}
	out := sorted(d)
	slices.SortStableFunc(out, func(x, y share) int { return cmp.Compare(abs(y.bytes), abs(x.bytes)) })
	return out
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
