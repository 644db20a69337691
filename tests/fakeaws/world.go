package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// World is the fake "AWS account" this test double manages: the ECR
// repositories that exist, with their settings and attached policies, and the
// IAM roles that exist.
//
// It is what a test inspects to learn what "happened in AWS", independently of
// what the Pulumi engine recorded in its state.
type World struct {
	// Repositories by repository name. All repositories share one namespace
	// regardless of region (a simplification: real ECR namespaces are per
	// account and region).
	Repositories map[string]*RepositoryRecord `json:"repositories"`
	// Roles by role name (IAM role names are unique per account, whatever
	// their path).
	Roles map[string]*RoleRecord `json:"roles"`
}

// RepositoryRecord is one ECR repository in the fake world.
type RepositoryRecord struct {
	Name               string            `json:"name"`
	Region             string            `json:"region"`
	ImageTagMutability string            `json:"imageTagMutability"`
	ScanOnPush         bool              `json:"scanOnPush"`
	EncryptionType     string            `json:"encryptionType"`
	KmsKey             string            `json:"kmsKey,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	// RepositoryPolicy is the text stored by SetRepositoryPolicy, nil if none.
	RepositoryPolicy *string `json:"repositoryPolicy,omitempty"`
	// LifecyclePolicy is the text stored by PutLifecyclePolicy, nil if none.
	LifecyclePolicy *string `json:"lifecyclePolicy,omitempty"`
}

// RoleRecord is one IAM role in the fake world.
type RoleRecord struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	Arn      string `json:"arn"`
	UniqueID string `json:"uniqueId"`
	// AssumeRolePolicy is the trust policy as sent to IAM (normalised JSON).
	AssumeRolePolicy    string            `json:"assumeRolePolicy"`
	Description         string            `json:"description,omitempty"`
	MaxSessionDuration  int               `json:"maxSessionDuration"`
	PermissionsBoundary string            `json:"permissionsBoundary,omitempty"`
	Tags                map[string]string `json:"tags,omitempty"`
}

// JournalEntry is one line of journal.jsonl: a successful mutating call.
type JournalEntry struct {
	Op      string   `json:"op"` // "create" | "update" | "delete"
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	URN     string   `json:"urn"`
	Changed []string `json:"changed,omitempty"` // update only: sorted changed input keys
}

const (
	worldFile   = "world.json"
	journalFile = "journal.jsonl"
	// The flock is taken on a separate file because world.json is replaced by
	// rename on every write, which would orphan a lock held on its old inode.
	lockFile = "world.lock"
)

// worldStore holds the World either in memory (dir == "") or in
// dir/world.json. File-backed access is serialised within the process by mu and
// across plugin processes by an exclusive flock on dir/world.lock, so each
// call is a complete read-modify-write.
type worldStore struct {
	mu  sync.Mutex
	dir string

	mem     *World         // in-memory mode only
	journal []JournalEntry // in-memory mode only (for in-process tests)
}

func newWorldStore(dir string) *worldStore {
	s := &worldStore{dir: dir}
	if dir == "" {
		s.mem = &World{Repositories: map[string]*RepositoryRecord{}, Roles: map[string]*RoleRecord{}}
	}
	return s
}

// mutate runs fn on a private copy of the world. If fn succeeds the copy is
// persisted and, if fn returns a journal entry, that entry is appended to the
// journal inside the same critical section. If fn fails nothing is written.
func (s *worldStore) mutate(fn func(w *World) (*JournalEntry, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.dir == "" {
		w, err := cloneWorld(s.mem)
		if err != nil {
			return err
		}
		entry, err := fn(w)
		if err != nil {
			return err
		}
		s.mem = w
		if entry != nil {
			s.journal = append(s.journal, *entry)
		}
		return nil
	}

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
	if err := s.save(w); err != nil {
		return err
	}
	if entry != nil {
		return s.appendJournal(*entry)
	}
	return nil
}

// view runs fn on a snapshot of the world (under a shared lock in file mode).
func (s *worldStore) view(fn func(w *World)) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.dir == "" {
		w, err := cloneWorld(s.mem)
		if err != nil {
			return err
		}
		fn(w)
		return nil
	}

	unlock, err := s.lock(syscall.LOCK_SH)
	if err != nil {
		return err
	}
	defer unlock()
	w, err := s.load()
	if err != nil {
		return err
	}
	fn(w)
	return nil
}

// memJournal returns a copy of the in-memory journal (in-memory mode only).
func (s *worldStore) memJournal() []JournalEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]JournalEntry(nil), s.journal...)
}

func (s *worldStore) lock(how int) (func(), error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("fakeaws: creating state dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("fakeaws: opening lock file: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("fakeaws: locking %s: %w", f.Name(), err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

func (s *worldStore) load() (*World, error) {
	w := &World{}
	data, err := os.ReadFile(filepath.Join(s.dir, worldFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("fakeaws: reading world: %w", err)
	default:
		if err := json.Unmarshal(data, w); err != nil {
			return nil, fmt.Errorf("fakeaws: decoding %s: %w", worldFile, err)
		}
	}
	initWorld(w)
	return w, nil
}

func (s *worldStore) save(w *World) error {
	data, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, worldFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("fakeaws: writing world: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: writing world: %w", err)
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: writing world: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, worldFile)); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("fakeaws: writing world: %w", err)
	}
	return nil
}

func (s *worldStore) appendJournal(e JournalEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, journalFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("fakeaws: opening journal: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		_ = f.Close()
		return fmt.Errorf("fakeaws: writing journal: %w", err)
	}
	return f.Close()
}

func cloneWorld(w *World) (*World, error) {
	data, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	out := &World{}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, err
	}
	initWorld(out)
	return out, nil
}

// initWorld replaces nil maps (e.g. from a world.json written before roles
// were emulated) with empty ones.
func initWorld(w *World) {
	if w.Repositories == nil {
		w.Repositories = map[string]*RepositoryRecord{}
	}
	if w.Roles == nil {
		w.Roles = map[string]*RoleRecord{}
	}
}
