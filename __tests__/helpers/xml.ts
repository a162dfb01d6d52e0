/**
 * A minimal XML parser for checking the JUnit reports are well formed:
 * elements, attributes, text and the five predefined entities. It throws on
 * mismatched tags, which is the point.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const decode = (s: string): string => s.replace(/&(lt|gt|amp|apos|quot);/g, (_, e: string) => ({ lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' })[e] as string);

export class XMLParser {
  parse(xml: string): XmlNode {
    const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
    const stack: XmlNode[] = [];
    let root: XmlNode | undefined;
    const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(body)) !== null) {
      if (m.index !== consumed) throw new Error(`unparsable XML at ${consumed}`);
      consumed = re.lastIndex;
      const [, close, name, attrText, selfClose, text] = m;
      if (text !== undefined) {
        if (stack.length > 0) stack[stack.length - 1]!.text += decode(text);
        else if (text.trim() !== "") throw new Error("text outside the root element");
        continue;
      }
      if (close) {
        const open = stack.pop();
        if (open === undefined || open.name !== name) throw new Error(`</${name}> does not close <${open?.name}>`);
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
      const node: XmlNode = { name: name!, attrs, children: [], text: "" };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
      else if (root === undefined) root = node;
      else throw new Error("two root elements");
      if (!selfClose) stack.push(node);
    }
    if (consumed !== body.length || stack.length > 0 || root === undefined) throw new Error("XML is not complete");
    return root;
  }
}
