import { withBasePath } from '@recurrent/demo-kit';

/** One gallery photo (public/gallery/gallery.json, written at build time by scripts/copy-assets.mjs). */
export interface GalleryPhoto {
  id: number;
  file: string;
  width: number;
  height: number;
  licence: string;
  licenceUrl: string;
  flickrUrl: string;
  references: string[];
  /** coco-mini's split: 'train' photos taught the photo captioner their captions, 'val' photos it never saw. */
  split: 'train' | 'val';
}

export async function fetchGallery(): Promise<GalleryPhoto[]> {
  const r = await fetch(withBasePath('/gallery/gallery.json'));
  if (!r.ok) throw new Error(`gallery.json: HTTP ${r.status}`);
  const json = (await r.json()) as { photos?: GalleryPhoto[] };
  return json.photos ?? [];
}

export const galleryUrl = (p: GalleryPhoto): string => withBasePath(`/gallery/${p.file}`);
