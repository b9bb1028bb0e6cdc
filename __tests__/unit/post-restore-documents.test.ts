/**
 * The post-restore SSM documents as the network stacks synthesize them. No PowerShell can be
 * installed here, so the Windows script is tested as text and through its parameters; the Linux
 * script is run for real, through the document's own runCommand lines, with a stand-in `ip` and
 * hosts file.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { POST_RESTORE_SCRIPTS } from "../../constructs/post-restore-documents";
import { resourcesOfType, synthPair } from "../support/synth";

interface CommandStep {
  readonly action: string;
  readonly name: string;
  readonly precondition?: { StringEquals: [string, string] };
  readonly inputs: { readonly runCommand: readonly string[]; readonly timeoutSeconds?: number };
}

interface CommandDocument {
  readonly schemaVersion: string;
  readonly parameters: Record<string, { type: string; default?: string; allowedValues?: string[]; allowedPattern?: string }>;
  readonly mainSteps: readonly CommandStep[];
}

const pair = synthPair();
const primary = pair.json(pair.stacks.network.primary);
const secondary = pair.json(pair.stacks.network.secondary);

function documentNamed(json: any, name: string): { resource: any; content: CommandDocument } {
  const resource = resourcesOfType(json, "aws_ssm_document").find((d) => d.name === name);
  if (!resource) throw new Error(`no aws_ssm_document named ${name}`);
  // Terraform reads `$${` and `%%{` as the literal `${` and `%{`.
  return { resource, content: JSON.parse(resource.content.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) };
}

const windows = documentNamed(primary, "test-dr-primary-windows-post-restore").content;
const linux = documentNamed(primary, "test-dr-primary-linux-post-restore").content;
const windowsScript = readFileSync(POST_RESTORE_SCRIPTS.windows, "utf8");

/** The script lines of the step, without the lines the document puts before them. */
const placeholders = (doc: CommandDocument) => [...doc.mainSteps.flatMap((s) => s.inputs.runCommand).join("\n").matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);

describe("post-restore documents in the network stacks", () => {
  test("GIVEN the pair WHEN the network stacks are synthesized THEN each region has a Windows and a Linux Command document named for it", () => {
    for (const [json, role] of [
      [primary, "primary"],
      [secondary, "secondary"],
    ] as const) {
      const documents = resourcesOfType(json, "aws_ssm_document");
      expect(documents.map((d) => d.name).sort()).toEqual([`test-dr-${role}-linux-post-restore`, `test-dr-${role}-windows-post-restore`]);
      expect(documents.every((d) => d.document_type === "Command" && d.document_format === "JSON")).toBe(true);
    }
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(SsmDocument, { tags: { Name: "test-dr-primary-windows-post-restore" } });
  });

  test("GIVEN each region WHEN synthesized THEN its documents report routes and hosts entries into the OTHER region's management CIDR by default", () => {
    expect(windows.parameters.OtherRegionCidrs.default).toBe("10.40.0.0/16");
    expect(linux.parameters.OtherRegionCidrs.default).toBe("10.40.0.0/16");
    expect(documentNamed(secondary, "test-dr-secondary-windows-post-restore").content.parameters.OtherRegionCidrs.default).toBe("10.30.0.0/16");
  });

  test("GIVEN the scripts' own ${...} WHEN synthesized THEN Terraform is told they are not interpolations", () => {
    const content: string = resourcesOfType(primary, "aws_ssm_document").find((d) => d.name === "test-dr-primary-linux-post-restore").content;
    expect(content.match(/(?<!\$)\$\{/g)).toBeNull();
  });

  test("GIVEN the network stack outputs WHEN synthesized THEN they name both documents, for restore and for people", () => {
    expect(primary.output.post_restore_document_names.value).toEqual({
      windows: expect.stringContaining("aws_ssm_document."),
      linux: expect.stringContaining("aws_ssm_document."),
    });
  });
});

describe("the Windows document", () => {
  const [step] = windows.mainSteps;

  test("GIVEN the document WHEN read THEN it is one PowerShell step for Windows only, bounded in time, schema 2.2", () => {
    expect(windows.schemaVersion).toBe("2.2");
    expect(windows.mainSteps).toHaveLength(1);
    expect(step).toMatchObject({ action: "aws:runPowerShellScript", name: "fixups", precondition: { StringEquals: ["platformType", "Windows"] } });
    expect(step.inputs.timeoutSeconds).toBeGreaterThan(0);
  });

  test("GIVEN the document WHEN read THEN it runs the script file as it is, after setting its two parameters", () => {
    const lines = step.inputs.runCommand;
    expect(lines.slice(0, 2)).toEqual(["$OtherRegionCidrs = '{{ OtherRegionCidrs }}'", "$SwitchToDhcp = '{{ SwitchToDhcp }}'"]);
    expect(lines.slice(2).join("\n")).toBe(windowsScript.split(/\r?\n/).join("\n"));
  });

  test("GIVEN the parameters WHEN declared THEN every placeholder is a parameter, SwitchToDhcp only reports by default, and no value can break out of its quotes", () => {
    expect([...new Set(placeholders(windows))].sort()).toEqual(Object.keys(windows.parameters).sort());
    expect(windows.parameters.SwitchToDhcp).toMatchObject({ type: "String", default: "false", allowedValues: ["false", "true"] });
    const pattern = new RegExp(windows.parameters.OtherRegionCidrs.allowedPattern!);
    expect(pattern.test("10.40.0.0/16,172.16.0.0/12")).toBe(true);
    expect(pattern.test("10.40.0.0/16'; Remove-Item C:\\ -Recurse; '")).toBe(false);
  });

  test("GIVEN the script WHEN EC2Launch v1's module exists THEN it imports it and runs Add-Routes then Set-Wallpaper, and only then", () => {
    const detect = windowsScript.indexOf("$ec2Launch = 'C:\\ProgramData\\Amazon\\EC2-Windows\\Launch\\Module\\Ec2Launch.psd1'");
    const branch = windowsScript.indexOf("if (Test-Path $ec2Launch) {");
    const elseBranch = windowsScript.indexOf("} else {", branch);
    const calls = ["Import-Module $ec2Launch", "Add-Routes", "Set-Wallpaper"].map((call) => windowsScript.indexOf(call, branch));
    expect(detect).toBeGreaterThan(-1);
    expect(branch).toBeGreaterThan(detect);
    expect(calls.every((at) => at > branch && at < elseBranch)).toBe(true);
    expect(calls).toEqual([...calls].sort((a, b) => a - b));
    expect(windowsScript.slice(elseBranch, windowsScript.indexOf("\n}", elseBranch))).toMatch(/Add-Fixup 'ec2launch' 'skipped'/);
  });

  test("GIVEN the script WHEN read THEN it activates with slmgr /ato, reports slmgr /dlv, resyncs time with rediscovery and says where a domain member takes its time", () => {
    expect(windowsScript).toMatch(/cscript\.exe \/\/nologo \$slmgr \/ato/);
    expect(windowsScript).toMatch(/cscript\.exe \/\/nologo \$slmgr \/dlv/);
    expect(windowsScript).toMatch(/w32tm\.exe \/resync \/rediscover/);
    expect(windowsScript).toMatch(/w32tm\.exe \/query \/source/);
    expect(windowsScript).toMatch(/PartOfDomain/);
    expect(windowsScript).toMatch(/domain member: time from the domain hierarchy/);
  });

  test("GIVEN a domain member whose resync fails WHEN read THEN it is a warning (no DC answers in a fenced copy), and only a workgroup machine's failure fails", () => {
    const resync = windowsScript.indexOf("if ($resyncCode -eq 0) {");
    const member = windowsScript.indexOf("} elseif ($partOfDomain) {", resync);
    const other = windowsScript.indexOf("} else {", member);
    expect(resync).toBeGreaterThan(-1);
    expect(windowsScript.slice(member, other)).toMatch(/Add-Fixup 'time' 'warning'/);
    expect(windowsScript.slice(other, windowsScript.indexOf("\n}", other))).toMatch(/Add-Fixup 'time' 'failed'/);
  });

  test("GIVEN the script WHEN read THEN it reports adapters not on DHCP and switches them only when SwitchToDhcp is true", () => {
    const report = windowsScript.indexOf("Where-Object { $_.Dhcp -eq 'Disabled'");
    const switchBranch = windowsScript.indexOf("elseif ($SwitchToDhcp -eq 'true')");
    const change = windowsScript.indexOf("Set-NetIPInterface -InterfaceIndex $interface.ifIndex -Dhcp Enabled");
    expect(report).toBeGreaterThan(-1);
    expect(switchBranch).toBeGreaterThan(report);
    expect(change).toBeGreaterThan(switchBranch);
    // The only change to an adapter is inside that branch.
    expect(windowsScript.split("Set-NetIPInterface")).toHaveLength(2);
  });

  test("GIVEN the script WHEN read THEN routes and hosts entries are matched against the OtherRegionCidrs parameter", () => {
    expect(windowsScript).toMatch(/\$otherCidrs = @\(\$OtherRegionCidrs\.Split\(','\)/);
    expect(windowsScript).toMatch(/Get-NetRoute -PolicyStore PersistentStore/);
    expect(windowsScript).toMatch(/drivers\\etc\\hosts/);
    expect((windowsScript.match(/Test-InCidrs [^\n]*?\$otherCidrs/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  test("GIVEN the script WHEN it ends THEN its last output is one compressed JSON summary of every fix-up, and nothing is written after it", () => {
    const lines = windowsScript.trimEnd().split(/\r?\n/);
    const summaryAt = lines.findIndex((line) => line.startsWith("Write-Output ($summary | ConvertTo-Json -Compress"));
    expect(summaryAt).toBeGreaterThan(-1);
    expect(lines.slice(summaryAt + 1).some((line) => /Write-(Output|Host)|Add-Fixup/.test(line))).toBe(false);
    for (const fixup of ["ec2launch", "activation", "time", "dhcp", "routes", "hosts"]) {
      expect(windowsScript).toMatch(new RegExp(`Add-Fixup '${fixup}' '(ok|changed|skipped)'`));
    }
    expect(windowsScript).toMatch(/regionpair = 'post-restore'/);
  });
});

describe("the Linux document, run with bash through its own runCommand lines", () => {
  const [step] = linux.mainSteps;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-linux-doc-"));
    // A stand-in for iproute2: one DHCP address, one static one, a route via the other region.
    const ip = path.join(dir, "ip");
    writeFileSync(
      ip,
      [
        "#!/bin/sh",
        'if [ "$2" = "-o" ]; then',
        "  echo '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever'",
        "  echo '2: eth0    inet 10.60.0.10/24 brd 10.60.0.255 scope global dynamic eth0\\       valid_lft 3500sec preferred_lft 3500sec'",
        "  echo '3: eth1    inet 10.60.1.10/24 brd 10.60.1.255 scope global eth1\\       valid_lft forever preferred_lft forever'",
        "else",
        "  echo 'default via 10.60.0.1 dev eth0 proto dhcp'",
        "  echo '10.40.16.0/20 via 10.60.0.1 dev eth0'",
        "  echo '10.60.0.0/24 dev eth0 proto kernel scope link src 10.60.0.10'",
        "fi",
      ].join("\n"),
    );
    chmodSync(ip, 0o755);
    writeFileSync(path.join(dir, "hosts"), "127.0.0.1 localhost\n10.40.0.20 dc1.ad.test.example dc1 # old DC\n10.60.0.5 app\n");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What the agent runs: the runCommand lines with the parameter defaults substituted, through sh. */
  function runDocument(otherRegionCidrs = linux.parameters.OtherRegionCidrs.default!): string {
    const script = step.inputs.runCommand.join("\n").replace(/\{\{\s*OtherRegionCidrs\s*\}\}/g, otherRegionCidrs);
    return execFileSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: `${dir}:${process.env.PATH}`, HOSTS_FILE: path.join(dir, "hosts") } });
  }

  test("GIVEN the document WHEN read THEN it is one shell step for Linux only whose only placeholder is its parameter", () => {
    expect(step).toMatchObject({ action: "aws:runShellScript", name: "fixups", precondition: { StringEquals: ["platformType", "Linux"] } });
    expect(new Set(placeholders(linux))).toEqual(new Set(["OtherRegionCidrs"]));
  });

  test("GIVEN a static address, a route and a hosts entry into the other region WHEN the document runs THEN its last line is a JSON summary naming each", () => {
    const lines = runDocument().trimEnd().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary).toMatchObject({ regionpair: "post-restore", version: 1, platform: "linux", ok: true });
    expect(summary.fixups.dhcp).toMatchObject({ status: "warning", staticAdapters: ["eth1 10.60.1.10/24"] });
    expect(summary.fixups.routes).toMatchObject({ status: "warning", entries: ["10.40.16.0/20 via 10.60.0.1"] });
    expect(summary.fixups.hosts.status).toBe("warning");
    expect(summary.fixups.hosts.entries).toEqual([expect.stringMatching(/^10\.40\.0\.20 dc1\.ad\.test\.example dc1/)]);
  });

  test("GIVEN another OtherRegionCidrs value WHEN the document runs THEN the checks follow the parameter", () => {
    const lines = runDocument("10.99.0.0/16").trimEnd().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary.fixups.routes).toMatchObject({ status: "ok", entries: [] });
    expect(summary.fixups.hosts).toMatchObject({ status: "ok", entries: [] });
  });
});
