# Dot-sourced by NetFramework45.Tests.ps1: a static check that every .NET type
# and member the guest module names exists in .NET Framework 4.5 and, for the
# PowerShell API, in Windows PowerShell 5.1 (the guest's floor: Server 2012 R2
# ships .NET Framework 4.5.1 and PowerShell 5.1 runs on it).
#
# Reference: the metadata (System.Reflection.Metadata, no loading) of the
# NuGet packages restored by tools/netref/netref.csproj into .tools/nuget:
# Microsoft.NETFramework.ReferenceAssemblies.net45 (build/.NETFramework/v4.5)
# and PowerShellStandard.Library (lib/net452/System.Management.Automation.dll).
#
# What it checks (statically named types only):
#   - type literals, type constraints, casts and attributes ([System.X], [X],
#     generic arguments, array element types), with PowerShell's accelerators
#     resolved through the Windows PowerShell 5.1 table below; an accelerator
#     that only PowerShell 6+ knows ([semver], [ordered] outside
#     [ordered]@{...}, [short], ...) is reported;
#   - [T]::Member: a public static method, property, field or event of that
#     name on T or a base type; [T]::Method(args): an overload that takes that
#     many arguments (optional parameters and params arrays count);
#   - [T]::new(args) and New-Object -TypeName T [-ArgumentList ...]: a public
#     constructor that takes that many arguments (when the count is known);
#   - attributes: a constructor for the positional arguments and a public
#     property or field for each named argument.
# Type names are looked up as PowerShell does: accelerator, the name as
# written, then "System." + name and the file's "using namespace" prefixes.
# Types the module defines itself (Add-Type -TypeDefinition with C# source, or
# PowerShell classes) are accepted; their public static methods are read from
# the C# source with a regular expression.
# PowerShellStandard.Library is the API common to Windows PowerShell 5.1 and
# PowerShell 6: a 5.1-only PowerShell API is reported too (conservative).
# Not checkable, so not checked: instance members ($x.Method()), COM objects
# (New-Object -ComObject), WMI/CIM objects, types named through variables,
# and the C# source given to Add-Type.

# Windows PowerShell 5.1's built-in type accelerators (name -> full type name):
# the table [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
# returns there. The pwsh this test runs in has more (semver, ordered, short,
# ushort, uint, ulong, pspropertyexpression, ...) and fewer (adsi, wmi, ...
# on Linux), so it cannot stand in for 5.1.
$script:SrNet51Accelerators = @{
    'Alias'                        = 'System.Management.Automation.AliasAttribute'
    'AllowEmptyCollection'         = 'System.Management.Automation.AllowEmptyCollectionAttribute'
    'AllowEmptyString'             = 'System.Management.Automation.AllowEmptyStringAttribute'
    'AllowNull'                    = 'System.Management.Automation.AllowNullAttribute'
    'ArgumentCompleter'            = 'System.Management.Automation.ArgumentCompleterAttribute'
    'array'                        = 'System.Array'
    'bool'                         = 'System.Boolean'
    'byte'                         = 'System.Byte'
    'char'                         = 'System.Char'
    'CmdletBinding'                = 'System.Management.Automation.CmdletBindingAttribute'
    'datetime'                     = 'System.DateTime'
    'decimal'                      = 'System.Decimal'
    'double'                       = 'System.Double'
    'DscResource'                  = 'System.Management.Automation.DscResourceAttribute'
    'float'                        = 'System.Single'
    'single'                       = 'System.Single'
    'guid'                         = 'System.Guid'
    'hashtable'                    = 'System.Collections.Hashtable'
    'int'                          = 'System.Int32'
    'int32'                        = 'System.Int32'
    'int16'                        = 'System.Int16'
    'long'                         = 'System.Int64'
    'int64'                        = 'System.Int64'
    'ciminstance'                  = 'Microsoft.Management.Infrastructure.CimInstance'
    'cimclass'                     = 'Microsoft.Management.Infrastructure.CimClass'
    'cimtype'                      = 'Microsoft.Management.Infrastructure.CimType'
    'cimconverter'                 = 'Microsoft.Management.Infrastructure.CimConverter'
    'IPEndpoint'                   = 'System.Net.IPEndPoint'
    'NullString'                   = 'System.Management.Automation.Language.NullString'
    'OutputType'                   = 'System.Management.Automation.OutputTypeAttribute'
    'ObjectSecurity'               = 'System.Security.AccessControl.ObjectSecurity'
    'Parameter'                    = 'System.Management.Automation.ParameterAttribute'
    'PhysicalAddress'              = 'System.Net.NetworkInformation.PhysicalAddress'
    'pscredential'                 = 'System.Management.Automation.PSCredential'
    'PSDefaultValue'               = 'System.Management.Automation.PSDefaultValueAttribute'
    'pslistmodifier'               = 'System.Management.Automation.PSListModifier'
    'psobject'                     = 'System.Management.Automation.PSObject'
    'pscustomobject'               = 'System.Management.Automation.PSObject'
    'psprimitivedictionary'        = 'System.Management.Automation.PSPrimitiveDictionary'
    'ref'                          = 'System.Management.Automation.PSReference'
    'PSTypeNameAttribute'          = 'System.Management.Automation.PSTypeNameAttribute'
    'regex'                        = 'System.Text.RegularExpressions.Regex'
    'DscProperty'                  = 'System.Management.Automation.DscPropertyAttribute'
    'sbyte'                        = 'System.SByte'
    'string'                       = 'System.String'
    'SupportsWildcards'            = 'System.Management.Automation.SupportsWildcardsAttribute'
    'switch'                       = 'System.Management.Automation.SwitchParameter'
    'cultureinfo'                  = 'System.Globalization.CultureInfo'
    'bigint'                       = 'System.Numerics.BigInteger'
    'securestring'                 = 'System.Security.SecureString'
    'timespan'                     = 'System.TimeSpan'
    'uint16'                       = 'System.UInt16'
    'uint32'                       = 'System.UInt32'
    'uint64'                       = 'System.UInt64'
    'uri'                          = 'System.Uri'
    'ValidateCount'                = 'System.Management.Automation.ValidateCountAttribute'
    'ValidateDrive'                = 'System.Management.Automation.ValidateDriveAttribute'
    'ValidateLength'               = 'System.Management.Automation.ValidateLengthAttribute'
    'ValidateNotNull'              = 'System.Management.Automation.ValidateNotNullAttribute'
    'ValidateNotNullOrEmpty'       = 'System.Management.Automation.ValidateNotNullOrEmptyAttribute'
    'ValidatePattern'              = 'System.Management.Automation.ValidatePatternAttribute'
    'ValidateRange'                = 'System.Management.Automation.ValidateRangeAttribute'
    'ValidateScript'               = 'System.Management.Automation.ValidateScriptAttribute'
    'ValidateSet'                  = 'System.Management.Automation.ValidateSetAttribute'
    'ValidateUserDrive'            = 'System.Management.Automation.ValidateUserDriveAttribute'
    # ValidateTrustedData is left out on purpose: PowerShellStandard.Library
    # lacks it and not every Windows PowerShell 5.1 build has it, so the gate
    # reports [ValidateTrustedData] (as a PowerShell 6+ accelerator).
    'version'                      = 'System.Version'
    'void'                         = 'System.Void'
    'ipaddress'                    = 'System.Net.IPAddress'
    'DscLocalConfigurationManager' = 'System.Management.Automation.DscLocalConfigurationManagerAttribute'
    'WildcardPattern'              = 'System.Management.Automation.WildcardPattern'
    'X509Certificate'              = 'System.Security.Cryptography.X509Certificates.X509Certificate'
    'X509Store'                    = 'System.Security.Cryptography.X509Certificates.X509Store'
    'xml'                          = 'System.Xml.XmlDocument'
    'CimSession'                   = 'Microsoft.Management.Infrastructure.CimSession'
    'adsi'                         = 'System.DirectoryServices.DirectoryEntry'
    'adsisearcher'                 = 'System.DirectoryServices.DirectorySearcher'
    'wmiclass'                     = 'System.Management.ManagementClass'
    'wmi'                          = 'System.Management.ManagementObject'
    'wmisearcher'                  = 'System.Management.ManagementObjectSearcher'
    'mailaddress'                  = 'System.Net.Mail.MailAddress'
    'scriptblock'                  = 'System.Management.Automation.ScriptBlock'
    'psvariable'                   = 'System.Management.Automation.PSVariable'
    'type'                         = 'System.Type'
    'psmoduleinfo'                 = 'System.Management.Automation.PSModuleInfo'
    'powershell'                   = 'System.Management.Automation.PowerShell'
    'runspacefactory'              = 'System.Management.Automation.Runspaces.RunspaceFactory'
    'runspace'                     = 'System.Management.Automation.Runspaces.Runspace'
    'initialsessionstate'          = 'System.Management.Automation.Runspaces.InitialSessionState'
    'psscriptmethod'               = 'System.Management.Automation.PSScriptMethod'
    'psscriptproperty'             = 'System.Management.Automation.PSScriptProperty'
    'psnoteproperty'               = 'System.Management.Automation.PSNoteProperty'
    'psaliasproperty'              = 'System.Management.Automation.PSAliasProperty'
    'psvariableproperty'           = 'System.Management.Automation.PSVariableProperty'
}

# Accelerator targets that exist on every Windows PowerShell 5.1 but in no
# reference package restored here: Microsoft.Management.Infrastructure.dll
# (CIM) ships with Windows PowerShell itself, not as a NuGet reference
# assembly. Such a type is accepted; its members are not checked.
$script:SrNetUnindexedAssemblies = @('Microsoft.Management.Infrastructure.')

function Get-SrNetRefAssemblyPath
{
    <#
    .SYNOPSIS
        Lists the reference assemblies restored by tools/netref/netref.csproj.
    .DESCRIPTION
        Reads the package versions from the project (they are pinned there
        only) and looks for the .NET Framework 4.5 reference assemblies and
        PowerShellStandard.Library's System.Management.Automation.dll below
        .tools/nuget.
    .PARAMETER RepoRoot
        The repository root.
    .OUTPUTS
        PSCustomObject with Paths (string[], empty when missing) and Problem
        (what to install, or $null).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [string] $RepoRoot
    )

    $project = Join-Path $RepoRoot 'tools' 'netref' 'netref.csproj'
    $versions = @{}
    foreach ($download in ([xml](Get-Content -LiteralPath $project -Raw)).Project.ItemGroup.PackageDownload)
    {
        $versions[$download.Include] = $download.Version.Trim('[', ']')
    }
    $nuget = Join-Path $RepoRoot '.tools' 'nuget'
    $framework = Join-Path $nuget 'microsoft.netframework.referenceassemblies.net45' $versions['Microsoft.NETFramework.ReferenceAssemblies.net45'] 'build' '.NETFramework' 'v4.5'
    $automation = Join-Path $nuget 'powershellstandard.library' $versions['PowerShellStandard.Library'] 'lib' 'net452' 'System.Management.Automation.dll'
    $paths = @()
    if ((Test-Path -LiteralPath (Join-Path $framework 'mscorlib.dll') -PathType Leaf) -and (Test-Path -LiteralPath $automation -PathType Leaf))
    {
        $paths = @(@(Get-ChildItem -LiteralPath $framework -Filter '*.dll' -File | Sort-Object Name | ForEach-Object FullName) + $automation)
    }
    $problem = $null
    if ($paths.Count -eq 0)
    {
        $problem = "the .NET Framework 4.5 and PowerShell 5.1 reference assemblies are not restored: run 'dotnet restore tools/netref/netref.csproj' (NuGet Microsoft.NETFramework.ReferenceAssemblies.net45 and PowerShellStandard.Library into .tools/nuget)"
    }
    [pscustomobject]@{ Paths = [string[]]$paths; Problem = $problem }
}

function New-SrNetRefIndex
{
    <#
    .SYNOPSIS
        Indexes the public types of reference assemblies by full name.
    .DESCRIPTION
        Opens each assembly with System.Reflection.Metadata (metadata only,
        nothing is loaded or run) and maps every public type's full name
        (namespace.Name, nested types as Outer+Inner, generic arity as `N)
        to where it is defined. Type forwarders (facades) are indexed as
        names that exist. Members are read later, per type, on demand.
    .PARAMETER Path
        The reference assemblies.
    .OUTPUTS
        PSCustomObject: Types (name -> list of definitions), Forwarded
        (names), Members (a cache), Readers (open PE readers).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [string[]] $Path
    )

    $types = [System.Collections.Generic.Dictionary[string, System.Collections.Generic.List[object]]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $forwarded = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $readers = [System.Collections.Generic.List[object]]::new()
    foreach ($file in $Path)
    {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new([System.IO.File]::OpenRead($file))
        if (-not $pe.HasMetadata) { $pe.Dispose(); continue }
        $readers.Add($pe)
        $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        foreach ($handle in $reader.TypeDefinitions)
        {
            $definition = $reader.GetTypeDefinition($handle)
            $visibility = [int]$definition.Attributes -band 7
            if ($visibility -ne 1 -and $visibility -ne 2) { continue }   # Public, NestedPublic
            $name = Get-SrNetTypeDefinitionName -Reader $reader -Handle $handle
            if ($null -eq $name) { continue }   # nested in a non-public type
            if (-not $types.ContainsKey($name)) { $types[$name] = [System.Collections.Generic.List[object]]::new() }
            $types[$name].Add([pscustomobject]@{ Name = $name; Reader = $reader; Handle = $handle; File = $file })
        }
        foreach ($handle in $reader.ExportedTypes)
        {
            $exported = $reader.GetExportedType($handle)
            if ($exported.IsForwarder)
            {
                $namespace = $reader.GetString($exported.Namespace)
                $name = $reader.GetString($exported.Name)
                if ($namespace) { $name = $namespace + '.' + $name }
                $null = $forwarded.Add($name)
            }
        }
    }
    [pscustomobject]@{ Types = $types; Forwarded = $forwarded; Members = @{}; Readers = $readers }
}

function Get-SrNetTypeDefinitionName
{
    <#
    .SYNOPSIS
        The full name of a type definition, or $null when it is not public.
    .DESCRIPTION
        Namespace.Name for a top-level type, Outer+Inner for a nested type
        (as PowerShell writes it); $null when an enclosing type is not public.
    .PARAMETER Reader
        The assembly's MetadataReader.
    .PARAMETER Handle
        The TypeDefinitionHandle.
    .OUTPUTS
        System.String or $null.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.MetadataReader] $Reader,

        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.TypeDefinitionHandle] $Handle
    )

    $definition = $Reader.GetTypeDefinition($Handle)
    $name = $Reader.GetString($definition.Name)
    $outer = $definition.GetDeclaringType()
    if (-not $outer.IsNil)
    {
        $visibility = [int]$Reader.GetTypeDefinition($outer).Attributes -band 7
        if ($visibility -ne 1 -and $visibility -ne 2) { return $null }
        $outerName = Get-SrNetTypeDefinitionName -Reader $Reader -Handle $outer
        if ($null -eq $outerName) { return $null }
        return $outerName + '+' + $name
    }
    $namespace = $Reader.GetString($definition.Namespace)
    if ($namespace) { return $namespace + '.' + $name }
    $name
}

function Get-SrNetTypeMember
{
    <#
    .SYNOPSIS
        The public members of an indexed type (cached), read from metadata.
    .DESCRIPTION
        Static members by name (methods with the argument counts they accept,
        properties, fields, events), public instance properties and fields
        (for attribute named arguments), the argument counts of the public
        constructors, and the full name of the base type.
    .PARAMETER Index
        From New-SrNetRefIndex.
    .PARAMETER Name
        The type's full name as indexed.
    .OUTPUTS
        PSCustomObject (Name, Base, IsValueType, Static, Instance, Ctors), or
        $null when the type is not indexed as a definition.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [object] $Index,

        [Parameter(Mandatory = $true)]
        [string] $Name
    )

    if ($Index.Members.ContainsKey($Name)) { return $Index.Members[$Name] }
    if (-not $Index.Types.ContainsKey($Name)) { return $null }
    $static = @{}
    $instance = @{}
    $ctors = [System.Collections.Generic.List[object]]::new()
    $base = $null
    foreach ($entry in $Index.Types[$Name])
    {
        $reader = $entry.Reader
        $definition = $reader.GetTypeDefinition($entry.Handle)
        if ($null -eq $base) { $base = Get-SrNetHandleTypeName -Reader $reader -Handle $definition.BaseType }
        foreach ($handle in $definition.GetMethods())
        {
            $method = $reader.GetMethodDefinition($handle)
            $attributes = [int]$method.Attributes
            if (($attributes -band 7) -ne 6) { continue }   # Public
            $methodName = $reader.GetString($method.Name)
            $arity = Get-SrNetMethodArity -Reader $reader -Method $method
            if ($methodName -eq '.ctor') { $ctors.Add($arity); continue }
            if (($attributes -band 0x10) -eq 0) { continue }   # instance
            if (-not $static.ContainsKey($methodName)) { $static[$methodName] = [System.Collections.Generic.List[object]]::new() }
            if ($methodName -notmatch '^(get_|set_|add_|remove_|op_)') { $static[$methodName].Add($arity) }
        }
        foreach ($handle in $definition.GetProperties())
        {
            $property = $reader.GetPropertyDefinition($handle)
            $accessors = $property.GetAccessors()
            $accessor = if (-not $accessors.Getter.IsNil) { $accessors.Getter } else { $accessors.Setter }
            if ($accessor.IsNil) { continue }
            $accessorAttributes = [int]$reader.GetMethodDefinition($accessor).Attributes
            if (($accessorAttributes -band 7) -ne 6) { continue }
            $propertyName = $reader.GetString($property.Name)
            if ($accessorAttributes -band 0x10)
            {
                if (-not $static.ContainsKey($propertyName)) { $static[$propertyName] = [System.Collections.Generic.List[object]]::new() }
            }
            else { $instance[$propertyName] = $true }
        }
        foreach ($handle in $definition.GetFields())
        {
            $field = $reader.GetFieldDefinition($handle)
            $attributes = [int]$field.Attributes
            if (($attributes -band 7) -ne 6) { continue }
            $fieldName = $reader.GetString($field.Name)
            if ($attributes -band 0x10)
            {
                if (-not $static.ContainsKey($fieldName)) { $static[$fieldName] = [System.Collections.Generic.List[object]]::new() }
            }
            else { $instance[$fieldName] = $true }
        }
        foreach ($handle in $definition.GetEvents())
        {
            $event = $reader.GetEventDefinition($handle)
            $adder = $event.GetAccessors().Adder
            if ($adder.IsNil) { continue }
            $adderAttributes = [int]$reader.GetMethodDefinition($adder).Attributes
            if (($adderAttributes -band 7) -eq 6 -and ($adderAttributes -band 0x10))
            {
                $eventName = $reader.GetString($event.Name)
                if (-not $static.ContainsKey($eventName)) { $static[$eventName] = [System.Collections.Generic.List[object]]::new() }
            }
        }
    }
    $isValueType = $base -in @('System.ValueType', 'System.Enum')
    $members = [pscustomobject]@{ Name = $Name; Base = $base; IsValueType = $isValueType; Static = $static; Instance = $instance; Ctors = $ctors }
    $Index.Members[$Name] = $members
    $members
}

function Get-SrNetHandleTypeName
{
    <#
    .SYNOPSIS
        The full name of the type an EntityHandle (base type) refers to.
    .DESCRIPTION
        Handles type definitions, type references (nested ones too) and
        generic instantiations (TypeSpec blobs 0x15 ...), whose generic type
        definition's name is returned (for example System.Collections.ObjectModel.Collection`1).
    .PARAMETER Reader
        The MetadataReader the handle belongs to.
    .PARAMETER Handle
        An EntityHandle; nil for System.Object and interfaces.
    .OUTPUTS
        System.String or $null.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.MetadataReader] $Reader,

        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.EntityHandle] $Handle
    )

    if ($Handle.IsNil) { return $null }
    switch ($Handle.Kind)
    {
        'TypeDefinition'
        {
            return Get-SrNetTypeDefinitionName -Reader $Reader -Handle ([System.Reflection.Metadata.TypeDefinitionHandle]$Handle)
        }
        'TypeReference'
        {
            $reference = $Reader.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle]$Handle)
            $name = $Reader.GetString($reference.Name)
            if ($reference.ResolutionScope.Kind -eq 'TypeReference')
            {
                return (Get-SrNetHandleTypeName -Reader $Reader -Handle $reference.ResolutionScope) + '+' + $name
            }
            $namespace = $Reader.GetString($reference.Namespace)
            if ($namespace) { return $namespace + '.' + $name }
            return $name
        }
        'TypeSpecification'
        {
            $blob = $Reader.GetBlobBytes($Reader.GetTypeSpecification([System.Reflection.Metadata.TypeSpecificationHandle]$Handle).Signature)
            if ($blob.Length -lt 3 -or $blob[0] -ne 0x15) { return $null }   # GENERICINST
            $position = 2
            $coded = Read-SrNetCompressedInteger -Blob $blob -Position ([ref]$position)
            $row = $coded -shr 2
            switch ($coded -band 3)
            {
                0 { return Get-SrNetHandleTypeName -Reader $Reader -Handle ([System.Reflection.Metadata.EntityHandle][System.Reflection.Metadata.Ecma335.MetadataTokens]::TypeDefinitionHandle($row)) }
                1 { return Get-SrNetHandleTypeName -Reader $Reader -Handle ([System.Reflection.Metadata.EntityHandle][System.Reflection.Metadata.Ecma335.MetadataTokens]::TypeReferenceHandle($row)) }
            }
            return $null
        }
    }
    $null
}

function Read-SrNetCompressedInteger
{
    <#
    .SYNOPSIS
        Reads an ECMA-335 compressed unsigned integer from a signature blob.
    .PARAMETER Blob
        The blob bytes.
    .PARAMETER Position
        The read position, advanced past the integer.
    .OUTPUTS
        System.Int32.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [byte[]] $Blob,

        [Parameter(Mandatory = $true)]
        [ref] $Position
    )

    $p = [int]$Position.Value
    $b0 = [int]$Blob[$p]
    if (($b0 -band 0x80) -eq 0) { $Position.Value = $p + 1; return $b0 }
    if (($b0 -band 0xC0) -eq 0x80) { $Position.Value = $p + 2; return (($b0 -band 0x3F) -shl 8) -bor [int]$Blob[$p + 1] }
    $Position.Value = $p + 4
    (($b0 -band 0x1F) -shl 24) -bor ([int]$Blob[$p + 1] -shl 16) -bor ([int]$Blob[$p + 2] -shl 8) -bor [int]$Blob[$p + 3]
}

function Get-SrNetMethodArity
{
    <#
    .SYNOPSIS
        How many arguments a method accepts: Min and Max.
    .DESCRIPTION
        The parameter count comes from the method signature; optional
        parameters lower Min, a params array ([ParamArray]) lifts Max.
    .PARAMETER Reader
        The MetadataReader.
    .PARAMETER Method
        The MethodDefinition.
    .OUTPUTS
        PSCustomObject with Min and Max (System.Int32).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.MetadataReader] $Reader,

        [Parameter(Mandatory = $true)]
        [System.Reflection.Metadata.MethodDefinition] $Method
    )

    $blob = $Reader.GetBlobBytes($Method.Signature)
    $position = 1
    if ($blob[0] -band 0x10) { $null = Read-SrNetCompressedInteger -Blob $blob -Position ([ref]$position) }   # generic parameter count
    $count = Read-SrNetCompressedInteger -Blob $blob -Position ([ref]$position)
    $min = $count
    $max = $count
    foreach ($handle in $Method.GetParameters())
    {
        $parameter = $Reader.GetParameter($handle)
        if ($parameter.SequenceNumber -lt 1) { continue }   # the return value
        if (([int]$parameter.Attributes -band 0x10) -and $parameter.SequenceNumber - 1 -lt $min) { $min = $parameter.SequenceNumber - 1 }   # Optional
        if ($parameter.SequenceNumber -eq $count)
        {
            foreach ($attributeHandle in $parameter.GetCustomAttributes())
            {
                $constructor = $Reader.GetCustomAttribute($attributeHandle).Constructor
                $attributeType = $null
                if ($constructor.Kind -eq 'MemberReference')
                {
                    $attributeType = Get-SrNetHandleTypeName -Reader $Reader -Handle $Reader.GetMemberReference([System.Reflection.Metadata.MemberReferenceHandle]$constructor).Parent
                }
                elseif ($constructor.Kind -eq 'MethodDefinition')
                {
                    $attributeType = Get-SrNetTypeDefinitionName -Reader $Reader -Handle $Reader.GetMethodDefinition([System.Reflection.Metadata.MethodDefinitionHandle]$constructor).GetDeclaringType()
                }
                if ($attributeType -eq 'System.ParamArrayAttribute')
                {
                    $max = [int]::MaxValue
                    if ($count - 1 -lt $min) { $min = $count - 1 }
                }
            }
        }
    }
    [pscustomobject]@{ Min = $min; Max = $max }
}

function Get-SrNetModuleType
{
    <#
    .SYNOPSIS
        The types a script defines itself: PowerShell classes and enums, and
        the public C# types of its Add-Type -TypeDefinition sources.
    .DESCRIPTION
        In a script that calls Add-Type, every string literal is read as
        possible C# source: namespace X { public ... class Y { ... } } gives
        X.Y, with its public static methods (argument counts from the
        parameter lists, optional and params parameters included).
    .PARAMETER Ast
        The parsed scripts.
    .OUTPUTS
        Hashtable: full name -> PSCustomObject (Name, Static: name -> list of
        Min/Max, or $null when the members are unknown).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.Language.Ast[]] $Ast
    )

    $found = @{}
    foreach ($root in $Ast)
    {
        foreach ($definition in $root.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true))
        {
            $found[$definition.Name] = [pscustomobject]@{ Name = $definition.Name; Static = $null }
        }
        $addType = @($root.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'Add-Type' }, $true))
        if ($addType.Count -eq 0) { continue }
        $strings = $root.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] -or $n -is [System.Management.Automation.Language.ExpandableStringExpressionAst] }, $true)
        foreach ($string in $strings)
        {
            $source = [string]$string.Value
            $namespace = ''
            $namespaceMatch = [regex]::Match($source, '\bnamespace\s+([\w.]+)')
            if ($namespaceMatch.Success) { $namespace = $namespaceMatch.Groups[1].Value + '.' }
            foreach ($declaration in [regex]::Matches($source, '\bpublic\s+(?:(?:static|sealed|abstract|partial|unsafe)\s+)*(?:class|struct|interface|enum)\s+(\w+)[^{]*\{'))
            {
                # The body: up to the brace that closes the declaration's.
                $depth = 1
                $at = $declaration.Index + $declaration.Length
                while ($at -lt $source.Length -and $depth -gt 0)
                {
                    if ($source[$at] -eq '{') { $depth++ } elseif ($source[$at] -eq '}') { $depth-- }
                    $at++
                }
                $body = $source.Substring($declaration.Index + $declaration.Length, $at - $declaration.Index - $declaration.Length)
                $static = @{}
                foreach ($method in [regex]::Matches($body, '\bpublic\s+static\s+(?:extern\s+)?[\w<>\[\],.?\s]+?\s+(\w+)\s*\(([^)]*)\)'))
                {
                    $parameters = @($method.Groups[2].Value.Split(',') | Where-Object { $_.Trim() -ne '' })
                    $min = @($parameters | Where-Object { $_ -notmatch '=' -and $_ -notmatch '^\s*params\s' }).Count
                    $max = if (@($parameters | Where-Object { $_ -match '^\s*params\s' }).Count -gt 0) { [int]::MaxValue } else { $parameters.Count }
                    $name = $method.Groups[1].Value
                    if (-not $static.ContainsKey($name)) { $static[$name] = [System.Collections.Generic.List[object]]::new() }
                    $static[$name].Add([pscustomobject]@{ Min = $min; Max = $max })
                }
                $fullName = $namespace + $declaration.Groups[1].Value
                $found[$fullName] = [pscustomobject]@{ Name = $fullName; Static = $static }
            }
        }
    }
    $found
}

function Resolve-SrNetTypeName
{
    <#
    .SYNOPSIS
        Resolves a PowerShell type name against Windows PowerShell 5.1 on
        .NET Framework 4.5.
    .DESCRIPTION
        Generic arguments and array element types are resolved too. The
        result's Kind is indexed (a reference-assembly type), module (defined
        by the scanned scripts), unindexed (a 5.1 accelerator whose assembly
        is not a reference package) or missing.
    .PARAMETER TypeName
        An ITypeName from the AST.
    .PARAMETER Index
        From New-SrNetRefIndex.
    .PARAMETER ModuleType
        From Get-SrNetModuleType.
    .PARAMETER Namespace
        The script's "using namespace" names.
    .PARAMETER Attribute
        Resolve as an attribute: Name + "Attribute" is tried as well.
    .OUTPUTS
        PSCustomObject: Kind, FullName, Module, Problems (string[]).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.Language.ITypeName] $TypeName,

        [Parameter(Mandatory = $true)]
        [object] $Index,

        [Parameter(Mandatory = $true)]
        [hashtable] $ModuleType,

        [string[]] $Namespace = @(),

        [switch] $Attribute
    )

    $problems = [System.Collections.Generic.List[string]]::new()
    if ($TypeName -is [System.Management.Automation.Language.ArrayTypeName])
    {
        return Resolve-SrNetTypeName -TypeName $TypeName.ElementType -Index $Index -ModuleType $ModuleType -Namespace $Namespace
    }
    $arity = ''
    $name = $TypeName.Name
    if ($TypeName -is [System.Management.Automation.Language.GenericTypeName])
    {
        foreach ($argument in $TypeName.GenericArguments)
        {
            $resolvedArgument = Resolve-SrNetTypeName -TypeName $argument -Index $Index -ModuleType $ModuleType -Namespace $Namespace
            foreach ($problem in $resolvedArgument.Problems) { $problems.Add($problem) }
        }
        $arity = '`' + $TypeName.GenericArguments.Count
        $name = $TypeName.TypeName.Name
    }
    if ($name.Contains(',')) { $name = $name.Substring(0, $name.IndexOf(',')).Trim() }   # assembly-qualified
    $result = { param($Kind, $FullName, $Module) [pscustomobject]@{ Kind = $Kind; FullName = $FullName; Module = $Module; Problems = [string[]]$problems } }

    $candidates = @($name)
    if ($Attribute) { $candidates = @(($name + 'Attribute'), $name) }
    foreach ($candidate in $candidates)
    {
        $key = $candidate + $arity
        if ($ModuleType.ContainsKey($key)) { return & $result 'module' $key $ModuleType[$key] }
        if ($arity -eq '' -and $script:SrNet51Accelerators.ContainsKey($candidate))
        {
            $fullName = $script:SrNet51Accelerators[$candidate]
            if ($Index.Types.ContainsKey($fullName)) { return & $result 'indexed' $fullName $null }
            return & $result 'unindexed' $fullName $null
        }
        foreach ($prefix in @('') + @('System.') + @($Namespace | ForEach-Object { $_ + '.' }))
        {
            if ($Index.Types.ContainsKey($prefix + $key)) { return & $result 'indexed' ($Index.Types[$prefix + $key][0].Name) $null }
            if ($Index.Forwarded.Contains($prefix + $key)) { return & $result 'unindexed' ($prefix + $key) $null }
        }
    }
    $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
    if ($arity -eq '' -and $accelerators.ContainsKey($name))
    {
        $problems.Add(('type accelerator [{0}] ({1}) exists only in PowerShell 6+, not in Windows PowerShell 5.1' -f $name, $accelerators[$name].FullName))
    }
    else
    {
        $problems.Add('type not found in .NET Framework 4.5 / Windows PowerShell 5.1')
    }
    & $result 'missing' ($name + $arity) $null
}

function Find-SrNetStaticMember
{
    <#
    .SYNOPSIS
        The argument counts a public static member accepts, searched on a type
        and its base types.
    .PARAMETER Index
        From New-SrNetRefIndex.
    .PARAMETER Type
        A resolved type (Resolve-SrNetTypeName) of Kind indexed or module.
    .PARAMETER Member
        The member name (case-insensitive, as PowerShell binds).
    .OUTPUTS
        $null when there is no such member; otherwise a PSCustomObject with
        Found ($true) and Arities (Min/Max per method overload; empty for a
        property, field or event).
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true)]
        [object] $Index,

        [Parameter(Mandatory = $true)]
        [object] $Type,

        [Parameter(Mandatory = $true)]
        [string] $Member
    )

    $arities = [System.Collections.Generic.List[object]]::new()
    $found = $false
    if ($Type.Kind -eq 'module')
    {
        if ($null -eq $Type.Module.Static) { return [pscustomobject]@{ Found = $true; Arities = $null } }
        foreach ($key in $Type.Module.Static.Keys)
        {
            if ($key -eq $Member) { $found = $true; $arities.AddRange($Type.Module.Static[$key]) }
        }
    }
    else
    {
        $name = $Type.FullName
        while ($null -ne $name)
        {
            $members = Get-SrNetTypeMember -Index $Index -Name ($name -replace '^(.*?)(\[.*)?$', '$1')
            if ($null -eq $members) { break }
            foreach ($key in $members.Static.Keys)
            {
                if ($key -eq $Member) { $found = $true; $arities.AddRange($members.Static[$key]) }
            }
            $name = $members.Base
        }
    }
    if (-not $found) { return $null }
    [pscustomobject]@{ Found = $true; Arities = $arities }
}

function Test-SrNetArity
{
    <#
    .SYNOPSIS
        Whether one of the overloads accepts that many arguments.
    .PARAMETER Arity
        Min/Max per overload.
    .PARAMETER Count
        The number of arguments given.
    .OUTPUTS
        System.Boolean.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Arity,

        [Parameter(Mandatory = $true)]
        [int] $Count
    )

    @($Arity | Where-Object { $_.Min -le $Count -and $Count -le $_.Max }).Count -gt 0
}

function Find-SrNetApiIssue
{
    <#
    .SYNOPSIS
        Lists the .NET types and members a script uses that Windows
        PowerShell 5.1 on .NET Framework 4.5 does not have.
    .DESCRIPTION
        See the top of this file for what is checked. Types the scanned
        scripts define (Add-Type, classes) are gathered from all of -Path
        first, so a type defined in one file may be used in another.
    .PARAMETER Path
        .ps1/.psm1 files (one module).
    .PARAMETER Script
        Script text (planted examples).
    .PARAMETER Index
        From New-SrNetRefIndex.
    .OUTPUTS
        PSCustomObject with file, line, type, member and problem, one per
        finding, sorted by file and line.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
        [string[]] $Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'Script')]
        [string] $Script,

        [Parameter(Mandatory = $true)]
        [object] $Index
    )

    $parsed = [System.Collections.Generic.List[object]]::new()
    $inputs = if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { '<script>' }
    foreach ($file in $inputs)
    {
        $tokens = $null
        $errors = $null
        if ($PSCmdlet.ParameterSetName -eq 'Path') { $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors) }
        else { $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref]$tokens, [ref]$errors) }
        if (@($errors).Count -gt 0) { throw ('{0} does not parse: {1}' -f $file, (@($errors | ForEach-Object { $_.Message }) -join '; ')) }
        $parsed.Add([pscustomobject]@{ File = $file; Ast = $ast })
    }
    $moduleType = Get-SrNetModuleType -Ast @($parsed | ForEach-Object Ast)
    $found = [System.Collections.Generic.List[object]]::new()

    foreach ($item in $parsed)
    {
        $namespaces = @($item.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.UsingStatementAst] -and $n.UsingStatementKind -eq 'Namespace' }, $true) | ForEach-Object { $_.Name.Value })
        $add = {
            param($Extent, [string] $Type, [string] $Member, [string] $Problem)
            $found.Add([pscustomobject]@{ file = $item.File; line = $Extent.StartLineNumber; type = $Type; member = $Member; problem = $Problem })
        }
        $resolve = {
            param($TypeName, [switch] $Attribute)
            Resolve-SrNetTypeName -TypeName $TypeName -Index $Index -ModuleType $moduleType -Namespace $namespaces -Attribute:$Attribute
        }
        # The constructor check of [T]::new(...) and New-Object.
        $checkConstructor = {
            param($Extent, $Type, [string] $Written, $Count)
            if ($Type.Kind -ne 'indexed' -or $null -eq $Count) { return }
            $members = Get-SrNetTypeMember -Index $Index -Name $Type.FullName
            if ($Count -eq 0 -and $members.IsValueType) { return }
            if (-not (Test-SrNetArity -Arity @($members.Ctors) -Count $Count))
            {
                & $add $Extent $Written 'new' ('no public constructor of {0} takes {1} argument(s)' -f $Type.FullName, $Count)
            }
        }

        foreach ($node in $item.Ast.FindAll({ $true }, $true))
        {
            if ($node -is [System.Management.Automation.Language.TypeConstraintAst] -or $node -is [System.Management.Automation.Language.TypeExpressionAst])
            {
                $parent = $node.Parent
                # [ordered]@{...} is syntax in 5.1 (an accelerator only in 7).
                if ($node.TypeName.Name -eq 'ordered' -and $parent -is [System.Management.Automation.Language.ConvertExpressionAst] -and $parent.Type -eq $node -and $parent.Child -is [System.Management.Automation.Language.HashtableAst]) { continue }
                $type = & $resolve $node.TypeName
                foreach ($problem in $type.Problems) { & $add $node.Extent $node.TypeName.FullName '' $problem }
                continue
            }
            if ($node -is [System.Management.Automation.Language.AttributeAst])
            {
                $type = & $resolve $node.TypeName -Attribute
                foreach ($problem in $type.Problems) { & $add $node.Extent $node.TypeName.FullName '' $problem }
                if ($type.Kind -ne 'indexed') { continue }
                $members = Get-SrNetTypeMember -Index $Index -Name $type.FullName
                if (-not (Test-SrNetArity -Arity @($members.Ctors) -Count @($node.PositionalArguments).Count))
                {
                    & $add $node.Extent $node.TypeName.FullName 'new' ('no public constructor of {0} takes {1} argument(s)' -f $type.FullName, @($node.PositionalArguments).Count)
                }
                foreach ($named in $node.NamedArguments)
                {
                    $known = $false
                    $name = $type.FullName
                    while ($null -ne $name -and -not $known)
                    {
                        $level = Get-SrNetTypeMember -Index $Index -Name $name
                        if ($null -eq $level) { break }
                        $known = @($level.Instance.Keys | Where-Object { $_ -eq $named.ArgumentName }).Count -gt 0
                        $name = $level.Base
                    }
                    if (-not $known) { & $add $named.Extent $node.TypeName.FullName $named.ArgumentName ('no public property or field {0} on {1}' -f $named.ArgumentName, $type.FullName) }
                }
                continue
            }
            if (($node -is [System.Management.Automation.Language.MemberExpressionAst]) -and $node.Static -and $node.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and $node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst])
            {
                $type = & $resolve $node.Expression.TypeName
                if ($type.Kind -notin @('indexed', 'module')) { continue }   # missing: reported on the type; unindexed: unknown members
                $written = $node.Expression.TypeName.FullName
                $member = $node.Member.Value
                $isCall = $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst]
                $count = if ($isCall -and $null -ne $node.Arguments) { $node.Arguments.Count } else { 0 }
                if ($member -eq 'new' -and $isCall)
                {
                    & $checkConstructor $node.Extent $type $written $count
                    continue
                }
                $static = Find-SrNetStaticMember -Index $Index -Type $type -Member $member
                if ($null -eq $static)
                {
                    & $add $node.Extent $written $member ('no public static member {0} on {1} or its base types' -f $member, $type.FullName)
                }
                elseif ($isCall -and $null -ne $static.Arities -and -not (Test-SrNetArity -Arity @($static.Arities) -Count $count))
                {
                    & $add $node.Extent $written $member ('no overload of {0}::{1} takes {2} argument(s)' -f $type.FullName, $member, $count)
                }
                continue
            }
            if ($node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'New-Object')
            {
                # New-Object [-TypeName] T [[-ArgumentList] a, b] (also -Args, abbreviations).
                $typeArgument = $null
                $argumentList = $null
                $hasArguments = $false
                $comObject = $false
                $positional = [System.Collections.Generic.List[object]]::new()
                $elements = @($node.CommandElements | Select-Object -Skip 1)
                for ($i = 0; $i -lt $elements.Count; $i++)
                {
                    $element = $elements[$i]
                    if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { $positional.Add($element); continue }
                    $value = $element.Argument
                    $parameter = $element.ParameterName
                    $takesValue = $parameter -notmatch '^(s|st|str|stri|stric|strict)$'
                    if ($null -eq $value -and $takesValue -and $i + 1 -lt $elements.Count) { $i++; $value = $elements[$i] }
                    if ('TypeName'.StartsWith($parameter, [System.StringComparison]::OrdinalIgnoreCase)) { $typeArgument = $value }
                    elseif ('ArgumentList'.StartsWith($parameter, [System.StringComparison]::OrdinalIgnoreCase) -or $parameter -eq 'Args') { $argumentList = $value; $hasArguments = $true }
                    elseif ('ComObject'.StartsWith($parameter, [System.StringComparison]::OrdinalIgnoreCase)) { $comObject = $true }
                }
                if ($comObject) { continue }
                if ($null -eq $typeArgument -and $positional.Count -gt 0) { $typeArgument = $positional[0]; $positional.RemoveAt(0) }
                if (-not $hasArguments -and $positional.Count -gt 0) { $argumentList = $positional[0]; $hasArguments = $true }
                if ($typeArgument -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { continue }   # not a constant: not checkable
                $typeText = $typeArgument.Value
                $tokens = $null
                $errors = $null
                $typeAst = [System.Management.Automation.Language.Parser]::ParseInput('[' + $typeText + ']', [ref]$tokens, [ref]$errors)
                $typeExpression = @($typeAst.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeExpressionAst] }, $true))
                if (@($errors).Count -gt 0 -or $typeExpression.Count -ne 1)
                {
                    & $add $typeArgument.Extent $typeText '' 'New-Object -TypeName is not a type name'
                    continue
                }
                $type = & $resolve $typeExpression[0].TypeName
                foreach ($problem in $type.Problems) { & $add $typeArgument.Extent $typeText '' $problem }
                # The argument count, when it is visible: none, a list a, b, c or one value.
                $count = $null
                $value = $argumentList
                while ($value -is [System.Management.Automation.Language.ParenExpressionAst] -and $value.Pipeline -is [System.Management.Automation.Language.PipelineAst] -and @($value.Pipeline.PipelineElements).Count -eq 1 -and $value.Pipeline.PipelineElements[0] -is [System.Management.Automation.Language.CommandExpressionAst])
                {
                    $value = $value.Pipeline.PipelineElements[0].Expression
                }
                if (-not $hasArguments) { $count = 0 }
                elseif ($value -is [System.Management.Automation.Language.ArrayLiteralAst]) { $count = @($value.Elements).Count }
                elseif ($value -is [System.Management.Automation.Language.ConstantExpressionAst] -or $value -is [System.Management.Automation.Language.ExpandableStringExpressionAst] -or $value -is [System.Management.Automation.Language.ConvertExpressionAst] -or $value -is [System.Management.Automation.Language.BinaryExpressionAst]) { $count = 1 }
                & $checkConstructor $node.Extent $type $typeText $count
            }
        }
    }
    $found | Sort-Object -Property file, line
}
