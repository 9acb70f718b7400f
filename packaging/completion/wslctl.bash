# SPDX-License-Identifier: MIT
# bash completion for wslctl(1)                               -*- shell-script -*-
#
# Commands and options come from wslctl's own help, so they follow the tool; the
# keys are listed here (a unit test compares them with the tool's key table).

# Keys of .wslconfig, and of /etc/wsl.conf (for config --file .../wsl.conf).
_wslctl_wslconfig_keys='
wsl2.kernel wsl2.kernelModules wsl2.kernelCommandLine wsl2.memory wsl2.processors
wsl2.swap wsl2.swapFile wsl2.localhostForwarding wsl2.nestedVirtualization wsl2.virtio
wsl2.virtiofs wsl2.virtio9p wsl2.debugConsole wsl2.earlyBootLogging
wsl2.debugConsoleLogFile wsl2.kernelDebugPort wsl2.gpuSupport wsl2.guiApplications
wsl2.systemDistro wsl2.telemetry wsl2.vmIdleTimeout wsl2.kernelBootTimeout
wsl2.distributionStartTimeout wsl2.mountDeviceTimeout wsl2.hostFileSystemAccess
wsl2.hardwarePerformanceCounters wsl2.networkingMode wsl2.vmSwitch wsl2.macAddress
wsl2.dhcp wsl2.dhcpTimeout wsl2.ipv6 wsl2.dnsProxy wsl2.dnsTunneling wsl2.firewall
wsl2.autoProxy wsl2.safeMode wsl2.defaultVhdSize wsl2.crashDumpFolder
wsl2.maxCrashDumpCount wsl2.loadDefaultKernelModules wsl2.loadKernelModules
wsl2.isolateDistroCgroup
experimental.autoMemoryReclaim experimental.sparseVhd experimental.bestEffortDnsParsing
experimental.dnsTunnelingIpAddress experimental.initialAutoProxyTimeout
experimental.ignoredPorts experimental.hostAddressLoopback experimental.setVersionDebug
experimental.swiotlb experimental.virtioFsAggregateShares experimental.networkingMode
experimental.dnsTunneling experimental.firewall experimental.autoProxy
general.distributionInstallPath general.instanceIdleTimeout
'
_wslctl_wslconf_keys='
automount.enabled automount.root automount.options automount.mountFsTab
automount.ldconfig automount.cgroups filesystem.umask interop.enabled
interop.appendWindowsPath network.generateHosts network.generateResolvConf
network.hostname time.useWindowsTimezone fileServer.enabled fileServer.logFile
fileServer.logLevel fileServer.logTruncate gpu.enabled gpu.appendLibPath user.default
boot.command boot.systemd boot.initTimeout boot.protectBinfmt general.guiApplications
'
# Keys whose values are a fixed set: booleans, and enums with their values.
_wslctl_bool_keys='
wsl2.localhostForwarding wsl2.nestedVirtualization wsl2.virtio wsl2.virtiofs
wsl2.virtio9p wsl2.debugConsole wsl2.earlyBootLogging wsl2.gpuSupport wsl2.guiApplications
wsl2.telemetry wsl2.hostFileSystemAccess wsl2.hardwarePerformanceCounters wsl2.dhcp
wsl2.ipv6 wsl2.dnsProxy wsl2.dnsTunneling wsl2.firewall wsl2.autoProxy wsl2.safeMode
wsl2.loadDefaultKernelModules wsl2.isolateDistroCgroup experimental.sparseVhd
experimental.bestEffortDnsParsing experimental.hostAddressLoopback
experimental.setVersionDebug experimental.virtioFsAggregateShares
experimental.dnsTunneling experimental.firewall experimental.autoProxy
automount.enabled automount.mountFsTab automount.ldconfig interop.enabled
interop.appendWindowsPath network.generateHosts network.generateResolvConf
time.useWindowsTimezone fileServer.enabled fileServer.logTruncate gpu.enabled
gpu.appendLibPath boot.systemd boot.protectBinfmt general.guiApplications
'
_wslctl_enum_keys='
wsl2.networkingMode=None,Nat,Bridged,Mirrored,Consomme,VirtioProxy
experimental.networkingMode=None,Nat,Bridged,Mirrored,Consomme,VirtioProxy
experimental.autoMemoryReclaim=Disabled,Gradual,DropCache
automount.cgroups=v1,v2
'
_wslctl_features='virtiofs'
_wslctl_checks='wsl.kernel kernel.version kernel.config virtiofs.registered
virtiofs.mounted virtio.devices swiotlb.pool swiotlb.usage wslconfig.virtiofs wsl.host'
# Options that take a value (the next word is not a command or an argument).
_wslctl_argopts=' --wslconfig --root --home --file --require --feed --releases --sha256
--cacert --kernel-version --arch --source --patches --config-fragment --base-config -j
--jobs --distcc --localversion --build-dir --work-dir --archive-base --target --reference '

# The command names, from the "Commands:" section of `wslctl --help`.
_wslctl_commands()
{
    "$1" --help 2>/dev/null |
        sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p'
}

# Long options a help text names: all of those on its usage and example lines (up to
# "&&": "wsl.exe --shutdown" is another program's), and the one each option line
# describes (not those its description mentions).
_wslctl_options()
{
    "$1" "${@:2}" 2>/dev/null |
        sed -n -e 's/[[:space:]]*&&.*//' \
            -e '/^[[:space:]]*\(usage:\|wslctl \)/p' \
            -e 's/^[[:space:]]*\(-[a-zA-Z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' |
        grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

_wslctl()
{
    local cur prev words cword split
    _init_completion -s || return

    local wslctl=${words[0]} cmd='' i w
    local -a args=() globals=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if [[ $_wslctl_argopts == *" $w "* ]]; then
            [[ $w == --wslconfig || $w == --root || $w == --home ]] &&
                globals+=("$w" "${words[i + 1]}")
            ((i++))
        elif [[ $w == -* ]]; then
            [[ $w == --wslconfig=* || $w == --root=* || $w == --home=* ]] && globals+=("$w")
        elif [[ -z $cmd ]]; then
            cmd=$w
        else
            args+=("$w")
        fi
    done

    case $prev in
        --wslconfig | --file | --cacert | --config-fragment | --source)
            _filedir
            return
            ;;
        --root | --home | --patches | --build-dir | --work-dir | --target | --reference)
            _filedir -d
            return
            ;;
        --arch)
            COMPREPLY=($(compgen -W 'x64 arm64' -- "$cur"))
            return
            ;;
        --base-config)
            COMPREPLY=($(compgen -W 'defconfig tinyconfig' -- "$cur"))
            _filedir
            return
            ;;
        --require)
            # A comma list: complete the id after the last comma.
            local done_ids=${cur%"${cur##*,}"}
            COMPREPLY=($(compgen -P "$done_ids" -W "$_wslctl_checks" -- "${cur##*,}"))
            compopt -o nospace
            return
            ;;
        --feed)
            COMPREPLY=($(compgen -W 'nuget: github: https://' -- "$cur"))
            compopt -o nospace
            _filedir
            return
            ;;
        --releases | --sha256 | --kernel-version | --distcc | -j | --jobs | --localversion | \
            --archive-base)
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        # Global options stand anywhere; --version only before the command.
        local opts
        if [[ -z $cmd ]]; then
            opts=$(_wslctl_options "$wslctl" --help)
        else
            opts=$({ _wslctl_options "$wslctl" help "$cmd"
                _wslctl_options "$wslctl" --help | grep -v -- --version; } | sort -u)
        fi
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi

    local n=${#args[@]}
    case $cmd in
        '')
            COMPREPLY=($(compgen -W "$(_wslctl_commands "$wslctl") help" -- "$cur"))
            ;;
        help)
            ((n == 0)) && COMPREPLY=($(compgen -W "$(_wslctl_commands "$wslctl")" -- "$cur"))
            ;;
        enable | disable)
            ((n == 0)) && COMPREPLY=($(compgen -W "$_wslctl_features" -- "$cur"))
            ;;
        config)
            local keys=$_wslctl_wslconfig_keys
            for ((i = 1; i < cword; i++)); do
                if [[ ${words[i]} == --file && ${words[i + 1]} == *wsl.conf ||
                    ${words[i]} == --file=*wsl.conf ]]; then
                    keys=$_wslctl_wslconf_keys
                fi
            done
            if ((n == 0)); then
                COMPREPLY=($(compgen -W 'get set unset merge list validate path' -- "$cur"))
            elif [[ ${args[0]} == get ]] && ((n == 1)) || [[ ${args[0]} == unset ]]; then
                COMPREPLY=($(compgen -W "$keys" -- "$cur"))
            elif [[ ${args[0]} == set ]] && ((n % 2 == 1)); then
                COMPREPLY=($(compgen -W "$keys" -- "$cur"))
            elif [[ ${args[0]} == set ]]; then
                # The value of the key before it, when its values are a fixed set
                # (names compare case-insensitively, as in WSL).
                local key=${args[n - 1],,} k
                for k in $_wslctl_bool_keys; do
                    [[ ${k,,} == "$key" ]] && COMPREPLY=($(compgen -W 'true false' -- "$cur"))
                done
                for k in $_wslctl_enum_keys; do
                    local name=${k%%=*} vals=${k#*=}
                    [[ ${name,,} == "$key" ]] && COMPREPLY=($(compgen -W "${vals//,/ }" -- "$cur"))
                done

            elif [[ ${args[0]} == merge ]] && ((n == 1)); then
                _filedir
            fi
            ;;
        kernel)
            if ((n == 0)); then
                COMPREPLY=($(compgen -W 'list use rollback remove' -- "$cur"))
            elif [[ ${args[0]} == use || ${args[0]} == remove ]] && ((n == 1)); then
                # Installed versions, from the store the command line points at.
                local versions
                versions=$("$wslctl" "${globals[@]}" --json kernel list 2>/dev/null |
                    grep -o '"version": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
                COMPREPLY=($(compgen -W "$versions" -- "$cur"))
            fi
            ;;
    esac
} &&
    complete -F _wslctl wslctl

# ex: filetype=sh
