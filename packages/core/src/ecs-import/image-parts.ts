/** render's image inputs for an image reference as written: `repo[:tag][@digest]`. */
export interface ImageParts {
  repository: string;
  tag?: string;
  digest?: string;
}

export function splitImage(reference: string): ImageParts {
  const [name, digest] = reference.split('@') as [string, string | undefined];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag ? { tag: name.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}
