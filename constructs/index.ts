export * from "./snapshot-ready-windows-vm";
export * from "./snapready-fleet-stack";
