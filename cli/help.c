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
	"usage: wslctl check [--require ID[,ID...]] [--json] [--root DIR]\n"
	"\n"
	"Validates the running kernel through /proc and /sys: WSL 2, kernel version,\n"
	"kernel options, virtiofs registered and mounted, virtio-fs device, the\n"
	"dedicated hv_pci SWIOTLB pool and its usage, .wslconfig and the WSL host.\n"
	"Each failure names the command that fixes it.\n"
	"\n"
	"Options:\n"
	"  --require IDS  only these checks must pass (a skipped one counts as failed)\n"
	"\n"
	"Examples:\n"
	"  wslctl check\n"
	"  wslctl check --json --require virtiofs.mounted,swiotlb.pool\n";

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
