package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// boltMinNode is the oldest Node.js major version that the pinned
// @slack/bolt supports (its package.json's engines).
const boltMinNode = 20

// errNoNode is what -bolt says when Node.js is missing.
var errNoNode = fmt.Errorf("-bolt needs Node.js %d or later, with npm, on PATH: it runs Slack's Bolt for JavaScript with node (https://nodejs.org)", boltMinNode)

// bolt makes Slack's Bolt for JavaScript a subject: e2e/slackbench/bolt's
// app.js, run by node from a folder of its own in the temporary folder,
// next to the installed packages (see boltPackages).
func (b *bench) bolt() (*subject, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errNoNode
	}
	version, err := nodeVersion(node)
	if err != nil {
		return nil, err
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(root, "e2e", "slackbench", "bolt")
	modules, err := boltPackages(src)
	if err != nil {
		return nil, err
	}
	// A folder of its own, so that node finds these packages and not a
	// node_modules someone installed in the source folder.
	dir := filepath.Join(b.dir, "bolt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	for _, name := range []string{"app.js", "package.json"} {
		if err := copyFile(filepath.Join(dir, name), filepath.Join(src, name)); err != nil {
			return nil, err
		}
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		return nil, err
	}
	about := fmt.Sprintf("node %s, @slack/bolt %s with its default HTTPReceiver; every thread of node on the server CPU (taskset)", version, packageVersion(filepath.Join(modules, "@slack", "bolt")))
	return &subject{name: "bolt", path: node, args: []string{filepath.Join(dir, "app.js")}, about: about, bolt: true}, nil
}

// nodeVersion is node's version ("v20.20.2"), or an error if it is older
// than Bolt needs.
func nodeVersion(node string) (string, error) {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", node, err)
	}
	v := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < boltMinNode {
		return "", fmt.Errorf("node is %s: %w", v, errNoNode)
	}
	return v, nil
}

// boltPackages returns the node_modules folder of the packages that src's
// package-lock.json pins, installing them with npm ci the first time. They
// are kept in the user's cache folder ($XDG_CACHE_HOME or ~/.cache),
// under waardenbot-e2e/bolt-<hash of package-lock.json>, so that later
// runs install nothing and need no network; a changed lock file installs
// afresh. An installation happens in a folder of its own and is renamed
// into place when complete, so an interrupted one is never used.
func boltPackages(src string) (string, error) {
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("a cache folder for Bolt's packages: %w", err)
	}
	sum := sha256.Sum256(lock)
	dir := filepath.Join(cache, "waardenbot-e2e", "bolt-"+hex.EncodeToString(sum[:8]))
	modules := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(modules); err == nil {
		return modules, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", errNoNode
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "installing-bolt-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for _, name := range []string{"package.json", "package-lock.json"} {
		if err := copyFile(filepath.Join(tmp, name), filepath.Join(src, name)); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(os.Stderr, "slackbench: installing Bolt's packages into %s (once)\n", dir)
	cmd := exec.Command(npm, "ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci in a copy of %s: %w", src, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(modules); statErr == nil {
			return modules, nil // another run installed them meanwhile
		}
		return "", err
	}
	return modules, nil
}

// packageVersion is the version in an npm package's package.json.
func packageVersion(dir string) string {
	var p struct{ Version string }
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil || json.Unmarshal(b, &p) != nil || p.Version == "" {
		return "(unknown version)"
	}
	return p.Version
}

func copyFile(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
