package world

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// StateDirEnv names the directory the test double keeps world.json and
// journal.jsonl in; without it the world lives in the plugin's memory.
const StateDirEnv = "FAKEAWS_STATE_DIR"

const (
	worldFile   = "world.json"
	journalFile = "journal.jsonl"
	// The flock is taken on a separate file because world.json is replaced by
	// rename on every write, which would orphan a lock held on its old inode.
	lockFile = "world.lock"
)

// JournalEntry is one line of journal.jsonl: a successful mutating call.
type JournalEntry struct {
	Op      string   `json:"op"` // "create" | "update" | "delete"
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	URN     string   `json:"urn"`
	Region  string   `json:"region"`            // of the provider that made the call
	Changed []string `json:"changed,omitempty"` // update only: sorted changed input keys
}

// String is the entry as "op type id", e.g. "update aws:ecr/repository:Repository team/api".
func (e JournalEntry) String() string { return e.Op + " " + e.Type + " " + e.ID }

// Store holds a World in memory (dir "") or in dir/world.json. File-backed
// access is serialised within the process by a mutex and across plugin
// processes by an flock on dir/world.lock, so each call is a complete
// read-modify-write.
type Store struct {
	mu      sync.Mutex
	dir     string
	mem     []byte         // in-memory mode: the world as JSON
	journal []JournalEntry // in-memory mode
}

// Open returns the store of dir ("" keeps the world in memory).
func Open(dir string) *Store { return &Store{dir: dir} }

// Update runs fn on a private copy of the world. If fn succeeds the copy is
// completed (see World.Complete) and kept and, if fn returns a journal entry,
// that entry is appended to the journal in the same critical section. If fn
// fails nothing is written.
func (s *Store) Update(fn func(w *World) (*JournalEntry, error)) error {
	unlock, err := s.lock(syscall.LOCK_EX)
	if err != nil {
		return err
	}
	defer unlock()
	w, err := s.load()
	if err != nil {
		return err
	}
	entry, err := fn(w)
	if err != nil {
		return err
	}
	w.Complete()
	data, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	if s.dir == "" {
		s.mem = data
		if entry != nil {
			s.journal = append(s.journal, *entry)
		}
		return nil
	}
	if err := writeFile(filepath.Join(s.dir, worldFile), append(data, '\n')); err != nil {
		return err
	}
	if entry != nil {
		return s.appendJournal(*entry)
	}
	return nil
}

// View returns a snapshot of the world.
func (s *Store) View() (*World, error) {
	unlock, err := s.lock(syscall.LOCK_SH)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.load()
}

// Journal returns the journal so far.
func (s *Store) Journal() ([]JournalEntry, error) {
	unlock, err := s.lock(syscall.LOCK_SH)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if s.dir == "" {
		return append([]JournalEntry(nil), s.journal...), nil
	}
	return ReadJournal(s.dir)
}

// Load returns the world kept in dir (empty if there is none yet).
func Load(dir string) (*World, error) { return Open(dir).View() }

// Seed changes the world kept in dir before a test, e.g. to add resources
// that already exist in the account. It writes no journal entry.
func Seed(dir string, fn func(w *World)) error {
	return Open(dir).Update(func(w *World) (*JournalEntry, error) { fn(w); return nil, nil })
}

// ReadJournal returns the journal kept in dir (empty if there is none yet).
func ReadJournal(dir string) ([]JournalEntry, error) {
	f, err := os.Open(filepath.Join(dir, journalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var out []JournalEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e JournalEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("fakeaws: decoding %s: %w", journalFile, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// lock takes the mutex and, in file mode, the flock.
func (s *Store) lock(how int) (func(), error) {
	s.mu.Lock()
	if s.dir == "" {
		return s.mu.Unlock, nil
	}
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if os.IsNotExist(err) {
		if err = os.MkdirAll(s.dir, 0o755); err == nil {
			f, err = os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
		}
	}
	for err == nil {
		if err = syscall.Flock(int(f.Fd()), how); !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeaws: locking the world in %s: %w", s.dir, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
		s.mu.Unlock()
	}, nil
}

// load returns a private, completed copy of the world.
func (s *Store) load() (*World, error) {
	data := s.mem
	if s.dir != "" {
		var err error
		if data, err = os.ReadFile(filepath.Join(s.dir, worldFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("fakeaws: reading world: %w", err)
		}
	}
	w := New()
	if len(data) > 0 {
		if err := json.Unmarshal(data, w); err != nil {
			return nil, fmt.Errorf("fakeaws: decoding %s: %w", worldFile, err)
		}
	}
	w.Complete()
	return w, nil
}

// writeFile replaces path atomically.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err == nil {
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}
	if err != nil {
		return fmt.Errorf("fakeaws: writing world: %w", err)
	}
	return nil
}

func (s *Store) appendJournal(e JournalEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, journalFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil {
		_, err = f.Write(append(line, '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("fakeaws: writing journal: %w", err)
	}
	return nil
}
