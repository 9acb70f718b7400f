/* `wslctl help CMD` texts. wslctl shows them without starting wslctl-net. */
#include "help.h"

const char help_enable[] =
	"usage: wslctl enable FEATURE [--json] [-n] [--wslconfig PATH]\n"
	"\n"
	"Turns a WSL feature on in .wslconfig. Features: virtiofs ([wsl2] virtiofs=true).\n"
	"Running it again changes nothing and exits 0. A missing .wslconfig is created\n"
	"(UTF-8, CRLF). WSL must restart (wsl.exe --shutdown) for a change to apply.\n"
	"\n"
	"Examples:\n"
	"  wslctl enable virtiofs\n"
	"  wslctl --json enable virtiofs --wslconfig /mnt/c/Users/me/.wslconfig\n";

const char help_disable[] =
	"usage: wslctl disable FEATURE [--json] [-n] [--wslconfig PATH]\n"
	"\n"
	"Turns a WSL feature off. Where the key is absent WSL's default is already off\n"
	"and nothing is written.\n"
	"\n"
	"Example:\n"
	"  wslctl disable virtiofs\n";

const char help_config[] =
	"usage: wslctl config get KEY\n"
	"       wslctl config set [--raw] [--force] KEY VALUE [KEY VALUE ...]\n"
	"       wslctl config merge FILE\n"
	"       wslctl config unset KEY\n"
	"       wslctl config list [--all]\n"
	"       wslctl config validate\n"
	"       wslctl config path\n"
	"\n"
	"Reads and edits .wslconfig exactly as WSL reads it. KEY is section.key\n"
	"(wsl2.memory, experimental.sparseVhd); names are case-insensitive.\n"
	"\n"
	"Options:\n"
	"  --file PATH  work on another WSL config file (a file named wsl.conf is read\n"
	"               with wsl.conf's keys and rules)\n"
	"  --raw        write VALUE verbatim instead of escaping it for WSL\n"
	"  --force      allow unknown keys and non-ASCII values\n"
	"  --all        with list: show defaults too\n"
	"\n"
	"Examples:\n"
	"  wslctl config set wsl2.memory 8GB wsl2.processors 4\n"
	"  wslctl config get wsl2.kernel\n"
	"  wslctl config validate --json\n";

const char help_check[] =
	"usage: wslctl check [--require ID[,ID...]] [--json] [-v] [--root DIR] [--wslconfig PATH]\n"
	"\n"
	"Validates the running kernel through what it exposes in /proc and /sys (under\n"
	"--root), without root. Each check passes, fails, warns or is skipped with its\n"
	"reason; each failure names the command that fixes it.\n"
	"\n"
	"Checks:\n"
	"  wsl.kernel           a WSL 2 kernel (WSL 1 fails: wsl.exe --set-version <distro> 2)\n"
	"  kernel.version       Microsoft kernel >= 6.18.26.3, or any kernel showing the pool\n"
	"  kernel.config        /proc/config.gz has the options kernel-config/ requires\n"
	"                       (PCI_HYPERV built in); skipped without /proc/config.gz\n"
	"  virtiofs.registered  virtiofs in /proc/filesystems\n"
	"  virtiofs.mounted     a virtiofs mount (/proc/self/mountinfo or /proc/mounts)\n"
	"  virtio.devices       a virtio-fs device (id 26) bound to its driver\n"
	"  swiotlb.pool         hv_pci publishes swiotlb_base and swiotlb_size > 0\n"
	"  swiotlb.usage        pool usage from debugfs (root only); warns from 90% used\n"
	"  wslconfig.virtiofs   .wslconfig turns virtiofs on (when a .wslconfig is known)\n"
	"  wsl.host             wsl.exe --version is WSL >= 2.8.9; skipped off WSL\n"
	"\n"
	"Options:\n"
	"  --require ID[,ID...]  only these checks must pass; a skipped one counts as\n"
	"                        failed (could not verify). Repeatable.\n"
	"  -v                    list every kernel option with its state\n"
	"  --json                {\"ok\",\"kernel\":{\"release\",\"version\"},\"checks\":[{\"id\",\n"
	"                        \"status\",\"detail\",\"fix\"}]} on stdout; the table on stderr\n"
	"\n"
	"wsl.host reads the first line of wsl.exe's output whose value (after the last\n"
	"':') is a version N.N.N[.N]: the WSL version comes first in every language.\n"
	"WSLCTL_WSL_EXE replaces wsl.exe.\n"
	"\n"
	"Exit: 0 when no (required) check failed, 1 otherwise, 2 usage error.\n"
	"\n"
	"Examples:\n"
	"  wslctl check\n"
	"  sudo wslctl check -v                 # with debugfs: pool usage too\n"
	"  wslctl check --json --require virtiofs.mounted,swiotlb.pool\n"
	"  wslctl check --root /mnt/image       # a machine image or a test fixture\n";

const char help_update[] =
	"usage: wslctl update [--pre-release] [options]\n"
	"\n"
	"Brings the machine to the channel's kernel with the dedicated pool: resolves\n"
	"the WSL release, fetches and verifies its kernel, installs it into the store,\n"
	"activates it in .wslconfig, then (inside WSL) runs wsl.exe --update.\n";

const char help_kernel[] =
	"usage: wslctl kernel list [--available] | use VERSION | rollback | remove VERSION\n"
	"\n"
	"Manages the kernels in the store.\n";

const char help_build[] =
	"usage: wslctl build [--source DIR|TARBALL|URL|TAG] [options]\n"
	"\n"
	"Builds the patched kernel from source with patches/ and kernel-config/.\n";
