'use client';
import { useState } from 'react';
import { type ArtInput, placeholderUrl } from '@/lib/placeholder-art';

const VIEWS = ['Front', 'Side', 'Detail', 'In use'];

/** Placeholder gallery: four generated views of the product, thumbnails switch the large one. */
export function Gallery({ art, productName }: { art: ArtInput; productName: string }) {
  const [active, setActive] = useState(0);
  return (
    <div className="gallery">
      {/* biome-ignore lint/performance/noImgElement: locally generated SVG, nothing for next/image to optimize */}
      <img className="gallery-main" src={placeholderUrl(art, active)} alt={`${productName}, ${VIEWS[active]?.toLowerCase()} view`} width={800} height={600} />
      <fieldset className="gallery-thumbs">
        <legend className="visually-hidden">Product views</legend>
        {VIEWS.map((view, i) => (
          <button key={view} type="button" aria-pressed={i === active} onClick={() => setActive(i)} aria-label={`Show ${view.toLowerCase()} view`}>
            {/* biome-ignore lint/performance/noImgElement: locally generated SVG */}
            <img src={placeholderUrl(art, i)} alt="" width={96} height={72} />
          </button>
        ))}
      </fieldset>
    </div>
  );
}
